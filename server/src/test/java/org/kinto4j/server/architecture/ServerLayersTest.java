package org.kinto4j.server.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The server's layers point one way: HTTP → resource engine → events → storage. Below the HTTP
 * edge nothing knows about requests, responses or status codes; the event system knows nothing
 * of the resource engine and runs no SQL of its own; storage knows nothing above it. Checked on
 * the compiled classes, so an import added anywhere breaks the build, not a review.
 */
class ServerLayersTest {

    private static final String SERVER = "org.kinto4j.server";
    private static JavaClasses classes;

    @BeforeAll
    static void importServer() {
        classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages(SERVER);
    }

    private static String pkg(String name) {
        return SERVER + "." + name + "..";
    }

    @Test
    void nothingBelowTheHttpEdgeKnowsAboutHttp() {
        noClasses().that().resideInAnyPackage(pkg("storage"), pkg("events"), pkg("resource"), pkg("feed"),
                        pkg("permission"), pkg("auth"), pkg("config"), pkg("json"), pkg("logging"), pkg("metrics"),
                        pkg("errors"))
                .should().dependOnClassesThat().resideInAPackage(pkg("http"))
                .because("the Kinto status, errno and headers are chosen once, at the HTTP edge (http.KintoErrors)")
                .check(classes);
    }

    @Test
    void noLayerBelowHttpDependsOnJettyJavalinOrServlets() {
        noClasses().that().resideOutsideOfPackages(pkg("http"), SERVER)
                .should().dependOnClassesThat().resideInAnyPackage("io.javalin..", "org.eclipse.jetty..", "jakarta.servlet..")
                .check(classes);
    }

    @Test
    void storageKnowsNothingAboveIt() {
        noClasses().that().resideInAPackage(pkg("storage"))
                .should().dependOnClassesThat().resideInAnyPackage(pkg("events"), pkg("resource"), pkg("feed"),
                        pkg("auth"), pkg("permission"), pkg("metrics"))
                .check(classes);
    }

    @Test
    void theEventSystemKnowsNothingOfTheResourceEngineAndRunsNoSqlOfItsOwn() {
        noClasses().that().resideInAPackage(pkg("events"))
                .should().dependOnClassesThat().resideInAnyPackage(pkg("resource"), pkg("feed"), pkg("metrics"))
                .check(classes);
        noClasses().that().resideInAPackage(pkg("events"))
                .should().dependOnClassesThat().resideInAnyPackage("org.jdbi..", "java.sql..")
                .because("outbox, lease, listener state and replay SQL lives in storage")
                .check(classes);
    }

    @Test
    void theResourceEngineDoesNotReachUpIntoTheFeedOrMetrics() {
        noClasses().that().resideInAPackage(pkg("resource"))
                .should().dependOnClassesThat().resideInAnyPackage(pkg("feed"), pkg("metrics"))
                .check(classes);
    }

    @Test
    void neutralErrorsDependOnNothingInTheServer() {
        noClasses().that().resideInAPackage(pkg("errors"))
                .should().dependOnClassesThat(JavaClass.Predicates.resideInAPackage(SERVER + "..")
                        .and(JavaClass.Predicates.resideOutsideOfPackage(pkg("errors"))))
                .check(classes);
    }

    @Test
    void packagesHaveNoCycles() {
        slices().matching(SERVER + ".(*)..").should().beFreeOfCycles().check(classes);
    }
}
