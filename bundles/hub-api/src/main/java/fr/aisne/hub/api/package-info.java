/**
 * The hub's connector API: the one package a partner connector imports (with the registry's API).
 *
 * <p>A connector is an OSGi service implementing {@link fr.aisne.hub.api.Connector}. When it appears, hub-core
 * calls {@link fr.aisne.hub.api.Connector#configure} with a {@link fr.aisne.hub.api.ConnectorContext}; the
 * connector declares its {@link fr.aisne.hub.api.Flow}s (hub-core builds journaling, duplicate checks,
 * validation, durable queues, non-blocking retries, quarantine and replay from them) and adds the Camel routes
 * of its own pollers. It hands what it receives to the {@link fr.aisne.hub.api.Intake} and delivers through a
 * {@link fr.aisne.hub.api.DeliveryHandler} or a Camel URI. Nothing else of hub-core is visible to it; an
 * architecture test keeps it so.
 */
package fr.aisne.hub.api;
