/**
 * The PMSMP conventions kept by the Immersion Facilitée connector, for the AT/MP computation (URSSAF): the
 * {@link fr.aisne.hub.connector.immersionfacilitee.conventions.PmsmpConventions} OSGi service. Exported as version
 * 1.0.0 (the bundle's Export-Package); kept minimal and stable.
 */
package fr.aisne.hub.connector.immersionfacilitee.conventions;
