package fr.aisne.hub.core.flow;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;

import org.junit.Test;

public class UriDeliveryTest {

    @Test
    public void retryAfterInSecondsOrAsADate() {
        assertEquals(Duration.ofSeconds(120), UriDelivery.retryAfter("120"));
        assertEquals(Duration.ofSeconds(86_400), UriDelivery.retryAfter("999999999"));
        assertNull(UriDelivery.retryAfter(null));
        assertNull(UriDelivery.retryAfter("soon"));
        assertNull(UriDelivery.retryAfter("-5"));
        Duration d = UriDelivery.retryAfter(ZonedDateTime.now().plusSeconds(60).format(DateTimeFormatter.RFC_1123_DATE_TIME));
        assertTrue(d.toString(), d.getSeconds() >= 55 && d.getSeconds() <= 61);
    }
}
