package dev.parley.app;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import javafx.application.Platform;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The module arrows of DEVELOPERS.md, checked on the production classes. */
class ArchitectureTest {
    private static JavaClasses parley;

    @BeforeAll
    static void importClasses() {
        parley = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .withImportOption(location -> !location.contains("test-support")) // the tests' shared fixtures
                .importPackages("dev.parley");
    }

    @Test
    void theProtocolIsPureDataWithoutIoOrOtherModules() {
        classes()
                .that()
                .resideInAPackage("dev.parley.signaling.protocol..")
                .should()
                .onlyDependOnClassesThat()
                .resideInAnyPackage(
                        "dev.parley.signaling.protocol..",
                        "java.lang..",
                        "java.util..",
                        "java.io..",
                        "java.nio.charset..",
                        "com.google.gson..")
                .check(parley);
        noClasses()
                .that()
                .resideInAPackage("dev.parley.signaling.protocol..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("java.net..", "java.nio.channels..", "java.nio.file..")
                .check(parley);
    }

    @Test
    void clientAndServerOnlyShareTheProtocol() {
        // Allow-lists, not deny-lists: a new arrow (client → call, server → media, …) fails here until it is meant.
        classes()
                .that()
                .resideInAPackage("dev.parley.signaling.client..")
                .should()
                .onlyDependOnClassesThat()
                .resideInAnyPackage(
                        "dev.parley.signaling.client..",
                        "dev.parley.signaling.protocol..",
                        "java..",
                        "javax.net..",
                        "jakarta.websocket..",
                        "org.glassfish..",
                        "org.slf4j..")
                .check(parley);
        classes()
                .that()
                .resideInAPackage("dev.parley.signaling.server..")
                .should()
                .onlyDependOnClassesThat()
                .resideInAnyPackage(
                        "dev.parley.signaling.server..",
                        "dev.parley.signaling.protocol..",
                        "java..",
                        "javax.crypto..",
                        "javax.net..",
                        "org.eclipse.jetty..",
                        "org.slf4j..",
                        // the cluster's store (RedisCluster): Jedis and the connection pool it is configured with
                        "redis.clients.jedis..",
                        "org.apache.commons.pool2..")
                .check(parley);
    }

    @Test
    void mediaKnowsOnlyWebrtcJava() {
        classes()
                .that()
                .resideInAPackage("dev.parley.media..")
                .should()
                .onlyDependOnClassesThat()
                .resideInAnyPackage(
                        "dev.parley.media..", "dev.onvoid.webrtc..", "java..", "javax.imageio..", "org.slf4j..")
                .check(parley);
    }

    @Test
    void theCallEngineTalksToServersOnlyThroughTheClient() {
        noClasses()
                .that()
                .resideInAPackage("dev.parley.call..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("dev.parley.signaling.server..", "org.eclipse.jetty..", "org.glassfish..")
                .check(parley);
    }

    @Test
    void nothingDependsOnTheAppOrTheUi() {
        noClasses()
                .that()
                .resideOutsideOfPackages("dev.parley.app..", "dev.parley.ui..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("dev.parley.app..", "dev.parley.ui..")
                .check(parley);
        noClasses()
                .that()
                .resideOutsideOfPackage("dev.parley.app..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage("dev.parley.app..")
                .check(parley);
    }

    @Test
    void onlyTheUiTouchesJavaFx() {
        noClasses()
                .that()
                .resideOutsideOfPackage("dev.parley.ui..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage("javafx..")
                .check(parley);
    }

    @Test
    void onlyTheFxExecutorHopsOntoTheFxThread() {
        noClasses()
                .that()
                .doNotHaveFullyQualifiedName("dev.parley.ui.FxExecutor")
                .should()
                .callMethod(Platform.class, "runLater", Runnable.class)
                .check(parley);
    }

    @Test
    void theUiReachesCallsOnlyThroughTheCallModule() {
        noClasses()
                .that()
                .resideInAPackage("dev.parley.ui..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        "dev.parley.signaling.server..", "dev.parley.signaling.client.Transport", "dev.onvoid.webrtc..")
                .check(parley);
    }

    @Test
    void errorsAreLoggedNotPrinted() {
        noClasses().should().callMethod(Throwable.class, "printStackTrace").check(parley);
        noClasses()
                .that()
                .resideOutsideOfPackage("dev.parley.app..")
                // the start-up floor of 'bench start': nothing but JavaFX, so it prints instead of logging
                .and()
                .doNotHaveFullyQualifiedName("dev.parley.ui.BareWindow")
                .should()
                .accessField(System.class, "out")
                .orShould()
                .accessField(System.class, "err")
                .check(parley);
    }
}
