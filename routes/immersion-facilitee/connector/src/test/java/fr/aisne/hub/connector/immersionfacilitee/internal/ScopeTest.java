package fr.aisne.hub.connector.immersionfacilitee.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.time.LocalDate;
import java.util.List;

import org.junit.Test;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** Which conventions are the department's: the prescriber (the agency, or agencyRefersTo) of kind CD, department 02. */
public class ScopeTest {
    private final DepartmentScope scope = new DepartmentScope("conseil-departemental", "02", List.of());

    private DepartmentScope.Decision decide(String agency, DepartmentScope s) throws Exception {
        ObjectNode read = PlatformConventions.convention(PlatformConventions.newId(), LocalDate.of(2025, 5, 5),
                LocalDate.of(2025, 5, 9));
        PlatformConventions.agency(read, agency);
        return s.decide(PlatformMapping.map(read).prescriber());
    }

    @Test
    public void theDepartmentsOwnAgencyIsIn() throws Exception {
        DepartmentScope.Decision d = decide("cd02", scope);
        assertTrue(d.department());
        assertEquals("prescribed by the department through its agency", d.reason());
    }

    @Test
    public void aStructureThatRefersToTheDepartmentIsIn() throws Exception {
        DepartmentScope.Decision d = decide("ft-saint-quentin", scope);
        assertTrue(d.department());
        assertEquals("prescribed by the department through the agency it refers to (agencyRefersTo)", d.reason());
    }

    @Test
    public void franceTravailOfTheAisneWithoutReferralIsOut() throws Exception {
        DepartmentScope.Decision d = decide("ft-laon", scope);
        assertFalse(d.department());
        assertEquals("prescribed by its agency of kind pole-emploi, not conseil-departemental", d.reason());
    }

    @Test
    public void anotherDepartmentsCouncilIsOut() throws Exception {
        DepartmentScope.Decision d = decide("cd80", scope);
        assertFalse(d.department());
        assertEquals("agencyDepartment is 80, not 02", d.reason());
    }

    @Test
    public void theDepartmentsSirensNarrowTheScopeWhenSet() throws Exception {
        assertTrue(decide("cd02", new DepartmentScope("conseil-departemental", "02", List.of("999020001"))).department());
        DepartmentScope.Decision d = decide("ft-saint-quentin", new DepartmentScope("conseil-departemental", "02",
                List.of("220200026")));
        assertFalse(d.department());
        assertEquals("the SIRET of the agency it refers to (agencyRefersTo) is not one of scope.prescriberSirets", d.reason());
    }
}
