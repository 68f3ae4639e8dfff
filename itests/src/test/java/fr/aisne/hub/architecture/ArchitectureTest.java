package fr.aisne.hub.architecture;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import org.junit.BeforeClass;
import org.junit.Test;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.EvaluationResult;

/**
 * The architecture rules, checked on the compiled classes of every module (the X-Road way: a test module, not a
 * convention). A connector imports the hub's connector API ({@code fr.aisne.hub.api}) and the registry's API,
 * nothing of hub-core, of the platform's operations API or of another connector; a double imports nothing of the
 * hub; the API imports nothing of the hub. Each rule is also shown to fail on a class that breaks it.
 */
public class ArchitectureTest {
    private static JavaClasses hub;

    /**
     * What a connector may use of the hub, as an allow-list (a new module is closed to connectors until added here):
     * the connector API ({@code fr.aisne.hub.api} without its operations part, which is the platform's), the
     * registry's exported API package, and connectors' packages (which one may use another's: the rule below).
     */
    static final DescribedPredicate<JavaClass> OUTSIDE_THE_CONNECTOR_API = resideInAPackage("fr.aisne.hub..")
            .and(DescribedPredicate.not(resideInAnyPackage("fr.aisne.hub.api..", "fr.aisne.hub.registry",
                    "fr.aisne.hub.connector..")))
            .or(resideInAPackage("fr.aisne.hub.api.operations.."))
            .as("classes of the hub outside hub-api's connector API and the registry's API");

    static final ArchRule CONNECTORS_USE_ONLY_THE_API = noClasses().that().resideInAPackage("fr.aisne.hub.connector..")
            .should().dependOnClassesThat(OUTSIDE_THE_CONNECTOR_API)
            .because("a connector stands on hub-api only (issue 12): hub-core stays private behind it");

    /**
     * The packages a connector publishes for others (exported by its bundle, versioned, read-only): the PMSMP
     * conventions of the Immersion Facilitée connector, which the URSSAF AT/MP connector computes from. Nothing else of
     * a connector (its internal packages) may be used by another.
     */
    static final String[] PUBLISHED_CONNECTOR_APIS = {"fr.aisne.hub.connector.immersionfacilitee.conventions"};

    static final ArchRule CONNECTORS_ARE_INDEPENDENT = slices().matching("fr.aisne.hub.connector.(*)..")
            .should().notDependOnEachOther()
            .ignoreDependency(com.tngtech.archunit.base.DescribedPredicate.alwaysTrue(),
                    com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage(PUBLISHED_CONNECTOR_APIS))
            .because("a connector's whole story sits in its folder; another connector's published API package is the "
                    + "only way in");

    static final ArchRule DOUBLES_STAND_ALONE = noClasses().that().resideInAPackage("fr.aisne.hub.doubles..")
            .should().dependOnClassesThat().resideInAnyPackage("fr.aisne.hub.api..", "fr.aisne.hub.core..",
                    "fr.aisne.hub.registry..", "fr.aisne.hub.connector..", "fr.aisne.hub.ops..")
            .because("a double is the partner: it knows the partner's contract, not the hub");

    static final ArchRule API_DEPENDS_ON_NO_IMPLEMENTATION = noClasses().that().resideInAPackage("fr.aisne.hub.api..")
            .should().dependOnClassesThat().resideInAnyPackage("fr.aisne.hub.core..", "fr.aisne.hub.registry..",
                    "fr.aisne.hub.connector..", "fr.aisne.hub.ops..")
            .because("the API is the one bundle everything else imports");

    static final ArchRule CORE_KNOWS_NO_CONNECTOR = noClasses().that().resideInAPackage("fr.aisne.hub.core..")
            .should().dependOnClassesThat().resideInAnyPackage("fr.aisne.hub.connector..", "fr.aisne.hub.registry..",
                    "fr.aisne.hub.ops..")
            .because("the core is partner-agnostic: nothing partner-specific in it");

    static final ArchRule PLATFORM_MODULES_USE_THE_OPERATIONS_API = noClasses().that()
            .resideInAnyPackage("fr.aisne.hub.registry..", "fr.aisne.hub.ops..", "fr.aisne.hub.console..")
            .should().dependOnClassesThat().resideInAnyPackage("fr.aisne.hub.core..", "fr.aisne.hub.connector..")
            .because("the registry, the operations API and the console see the core through hub-api's operations package");

    static final ArchRule DEPARTMENT_FOLLOW_UP_USES_ONLY_THE_APIS = noClasses().that()
            .resideInAPackage("fr.aisne.hub.departement..")
            .should().dependOnClassesThat().resideInAnyPackage("fr.aisne.hub.core..", "fr.aisne.hub.registry.internal..",
                    "fr.aisne.hub.connector..", "fr.aisne.hub.ops..", "fr.aisne.hub.doubles..")
            .because("the department's follow-up (hub-departement) reads the hub through hub-api and the registry's "
                    + "exported API only");

    @BeforeClass
    public static void importClasses() {
        hub = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .withImportOption(location -> !location.contains("/test-classes/"))
                .importPackages("fr.aisne.hub");
        assertTrue("the modules' classes are on the test classpath", hub.stream()
                .anyMatch(c -> c.getName().equals("fr.aisne.hub.connector.caf.internal.CafConnector")));
        assertTrue("the URSSAF connector's classes are on the test classpath", hub.stream()
                .anyMatch(c -> c.getName().equals("fr.aisne.hub.connector.urssaf.internal.UrssafConnector")));
    }

    @Test
    public void theDepartmentFollowUpUsesOnlyTheApis() {
        assertTrue("hub-departement's classes are on the test classpath", hub.stream()
                .anyMatch(c -> c.getName().equals("fr.aisne.hub.departement.internal.DepartementComponent")));
        DEPARTMENT_FOLLOW_UP_USES_ONLY_THE_APIS.check(hub);
    }

    @Test
    public void connectorsImportOnlyTheApi() {
        CONNECTORS_USE_ONLY_THE_API.check(hub);
    }

    @Test
    public void connectorsDoNotDependOnEachOther() {
        CONNECTORS_ARE_INDEPENDENT.check(hub);
    }

    @Test
    public void doublesStandAlone() {
        DOUBLES_STAND_ALONE.check(hub);
    }

    @Test
    public void theApiDependsOnNoImplementation() {
        API_DEPENDS_ON_NO_IMPLEMENTATION.check(hub);
    }

    @Test
    public void theCoreKnowsNoConnector() {
        CORE_KNOWS_NO_CONNECTOR.check(hub);
    }

    @Test
    public void platformModulesUseTheOperationsApi() {
        PLATFORM_MODULES_USE_THE_OPERATIONS_API.check(hub);
    }

    /** The rule is not one that cannot fail: a connector class using a core-internal class breaks it. */
    @Test
    public void aConnectorImportingACoreInternalClassBreaksTheRule() {
        JavaClasses bad = new ClassFileImporter().importClasses(
                fr.aisne.hub.connector.badexample.UsesCoreInternals.class);
        EvaluationResult result = CONNECTORS_USE_ONLY_THE_API.evaluate(bad);
        assertTrue(result.hasViolation());
        assertTrue(result.getFailureReport().toString(),
                result.getFailureReport().toString().contains("fr.aisne.hub.core.journal.Journal"));
        assertFalse("the real connectors keep the rule", CONNECTORS_USE_ONLY_THE_API.evaluate(hub).hasViolation());
    }

    /** An allow-list: a module of the hub that no rule names (here the department's follow-up) is closed too. */
    @Test
    public void aConnectorImportingAnyOtherHubModuleBreaksTheRule() {
        JavaClasses bad = new ClassFileImporter().importClasses(
                fr.aisne.hub.connector.badexample.UsesAnotherModule.class);
        EvaluationResult result = CONNECTORS_USE_ONLY_THE_API.evaluate(bad);
        assertTrue(result.hasViolation());
        assertTrue(result.getFailureReport().toString(),
                result.getFailureReport().toString().contains("fr.aisne.hub.departement"));
    }
}
