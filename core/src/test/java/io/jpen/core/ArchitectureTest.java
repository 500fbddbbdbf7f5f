package io.jpen.core;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import com.tngtech.archunit.library.Architectures;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * Core's layers, bottom to top, each using only those below it (docs/architecture.md):
 * <ol>
 *   <li>records: the model's records (Settings, Snapshot, Reply, ...) and the version;</li>
 *   <li>leaves: access lists, the HTTP header rewriter, TLS termination: parsers and handlers that know no engine;</li>
 *   <li>select: server selection and the client table;</li>
 *   <li>engine: listener, relay, UDP, idlers, with its own features (engine.health, engine.proxy), the access log
 *       it writes, and its command interface (Command, EngineState): what a command may touch;</li>
 *   <li>control: Pen's language (Penctl, the one door for text; CommandParser), config files, write, the control
 *       port, the status page, the Daemon around an engine;</li>
 *   <li>console: Console, LocalConsole, the sampler;</li>
 *   <li>logging: the process's log levels (used by the front ends only, never by another layer);</li>
 *   <li>cli: Pen's command line (picocli), the one parser for jpen and the console's --local (front ends only);</li>
 *   <li>api: the HTTP/WebSocket API, and its client (api.client: ApiClient, RemoteConsole; api.client.ssh: the
 *       same console reached through an SSH tunnel, SshConsole).</li>
 * </ol>
 * A class that reaches up, a cycle between two packages, or a second class of the same name fails here, with the
 * edge it adds.
 */
@AnalyzeClasses(packages = "io.jpen.core", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {
    @ArchTest
    static final ArchRule layersOnlyPointDown = Architectures.layeredArchitecture()
            .consideringOnlyDependenciesInLayers()
            .layer("records").definedBy("io.jpen.core", "io.jpen.core.model..")
            .layer("leaves").definedBy("io.jpen.core.acl..", "io.jpen.core.http..", "io.jpen.core.tls..")
            .layer("select").definedBy("io.jpen.core.select..")
            .layer("engine").definedBy("io.jpen.core.engine..")
            .layer("control").definedBy("io.jpen.core.control..")
            .layer("console").definedBy("io.jpen.core.console..")
            .layer("logging").definedBy("io.jpen.core.logging..")
            .layer("cli").definedBy("io.jpen.core.cli..")
            .layer("api").definedBy("io.jpen.core.api..")
            .whereLayer("api").mayNotBeAccessedByAnyLayer()
            .whereLayer("logging").mayNotBeAccessedByAnyLayer()
            .whereLayer("cli").mayNotBeAccessedByAnyLayer()
            .whereLayer("console").mayOnlyBeAccessedByLayers("api")
            .whereLayer("control").mayOnlyBeAccessedByLayers("console", "api")
            .whereLayer("engine").mayOnlyBeAccessedByLayers("control", "console", "logging", "cli", "api")
            .whereLayer("select").mayOnlyBeAccessedByLayers("engine", "control", "console", "api")
            .whereLayer("leaves").mayOnlyBeAccessedByLayers("select", "engine", "control", "console", "cli", "api")
            .whereLayer("cli").mayOnlyAccessLayers("engine", "leaves", "records")
            .whereLayer("logging").mayOnlyAccessLayers("engine", "select", "leaves", "records");

    /** Every package its own slice (engine and engine.health are two): no two may depend on each other. */
    @ArchTest
    static final ArchRule noCyclesBetweenPackages = slices().matching("io.jpen.core.(**)").should().beFreeOfCycles();

    /** One door for text: outside the control layer a line of Pen's language goes to Penctl, never to the parser. */
    @ArchTest
    static final ArchRule textGoesThroughTheOneDoor = noClasses().that().resideOutsideOfPackage("io.jpen.core.control..")
            .should().dependOnClassesThat().haveFullyQualifiedName("io.jpen.core.control.CommandParser");

    /**
     * jpen's own classes in Netty's packages (the epoll channels that reach Netty's package-private base, and their
     * helpers) are the engine's transport: only io.jpen.core.engine makes or names them.
     */
    @ArchTest
    static final ArchRule jpensClassesInNettysPackagesStayInTheEngine = noClasses()
            .that().resideOutsideOfPackage("io.jpen.core.engine")
            .should().dependOnClassesThat().haveNameMatching(
                    "io\\.netty\\.channel\\.(epoll\\.Lean.*|unix\\.(KnownFamilySockets|InputEnded))");

    @ArchTest
    static final ArchRule noTwoClassesShareAName = classes().that().areTopLevelClasses()
            .should(haveANameNoOtherClassHas());

    /** A top-level class's simple name is unique among the classes imported (here core's; gui and headless check theirs with core's). */
    static ArchCondition<JavaClass> haveANameNoOtherClassHas() {
        return new ArchCondition<>("have a simple name no other top-level class has") {
            private final Map<String, List<String>> byName = new HashMap<>();

            @Override
            public void init(Collection<JavaClass> all) {
                for (JavaClass c : all) byName.computeIfAbsent(c.getSimpleName(), n -> new ArrayList<>()).add(c.getName());
            }

            @Override
            public void check(JavaClass c, ConditionEvents events) {
                List<String> same = byName.get(c.getSimpleName());
                events.add(new SimpleConditionEvent(c, same.size() == 1, c.getName() + " shares its name with " + same));
            }
        };
    }
}
