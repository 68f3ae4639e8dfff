package fr.aisne.hub.connector.dora;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import fr.aisne.hub.api.DeliveryFailure;
import fr.aisne.hub.api.PartnerGuard;

/** A partner guard that records what the client asks of it, and refuses permits when told to (an open circuit). */
final class RecordingGuard implements PartnerGuard {
    final List<String> calls = Collections.synchronizedList(new ArrayList<>());
    volatile DeliveryFailure refuse;

    @Override
    public String partner() {
        return "dora";
    }

    @Override
    public void permit() throws DeliveryFailure {
        if (refuse != null) {
            throw refuse;
        }
        calls.add("permit");
    }

    @Override
    public void pause(Duration pause) {
        calls.add("pause " + pause.toSeconds());
    }

    @Override
    public void succeeded() {
        calls.add("succeeded");
    }

    @Override
    public void failed() {
        calls.add("failed");
    }

    @Override
    public String describe() {
        return "recording";
    }

    @Override
    public boolean open() {
        return refuse != null;
    }
}
