package io.jpen.gui;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.belongToAnyOf;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the GUI may see of core (docs/architecture.md). The views, the view models and the FX helpers see a balancer
 * only through {@code Console} and the model's records; the sessions package ({@code gui.app}) is where a console
 * is made, so it may also use what makes one. No two GUI packages depend on each other, and no GUI class shares a
 * name with another class of the GUI or of core.
 */
@AnalyzeClasses(packages = {"io.jpen.gui", "io.jpen.core"}, importOptions = ImportOption.DoNotIncludeTests.class)
class GuiArchitectureTest {
    /**
     * What views and view models may use of core, and why:
     * <ul>
     *   <li>{@code core.model}: the records a Snapshot is made of, Reply, and CommandWords (the quoting of a
     *       health check's texts, which the check editor shows and reads back as {@code write} does);</li>
     *   <li>{@code core.console.Console}: the one interface to a balancer, local or remote;</li>
     *   <li>{@code core.Version}: shown in the window;</li>
     *   <li>the SSH attach's question about an unknown host key ({@code HostKeyQuestion}, {@code UnknownHostKey}) and
     *       the ssh client the start page hands to the session it starts ({@code SshClient}): the dialog is the
     *       answer to that question; {@code SshTarget}, which tells an {@code ssh://} address from an API URL
     *       (the start page disables the token box for it).</li>
     * </ul>
     */
    private static final DescribedPredicate<JavaClass> SEEN_BY_VIEWS = resideInAPackage("io.jpen.core.model..")
            .or(belongToAnyOf(io.jpen.core.console.Console.class, io.jpen.core.Version.class,
                    io.jpen.core.api.client.ssh.HostKeyQuestion.class, io.jpen.core.api.client.ssh.UnknownHostKey.class,
                    io.jpen.core.api.client.ssh.SshClient.class, io.jpen.core.api.client.ssh.SshTarget.class));

    /** The sessions also make consoles: an in-process engine behind its Penctl door, or the API's client. */
    private static final DescribedPredicate<JavaClass> SEEN_BY_SESSIONS = SEEN_BY_VIEWS
            .or(resideInAnyPackage("io.jpen.core.console..", "io.jpen.core.api.client..", "io.jpen.core.cli..",
                    "io.jpen.core.logging.."))
            .or(belongToAnyOf(io.jpen.core.control.Penctl.class, io.jpen.core.engine.Engine.class,
                    io.jpen.core.engine.EngineOptions.class, io.jpen.core.api.ApiToken.class));

    @ArchTest
    static final ArchRule viewsAndViewModelsSeeOnlyTheConsoleAndTheRecords = noClasses()
            .that().resideInAnyPackage("io.jpen.gui.view..", "io.jpen.gui.model..", "io.jpen.gui.fx..")
            .should().dependOnClassesThat(resideInAPackage("io.jpen.core..").and(not(SEEN_BY_VIEWS)));

    @ArchTest
    static final ArchRule sessionsSeeOnlyWhatMakesAConsole = noClasses()
            .that().resideInAnyPackage("io.jpen.gui.app..", "io.jpen.gui.demo..")
            .should().dependOnClassesThat(resideInAPackage("io.jpen.core..").and(not(SEEN_BY_SESSIONS)));

    @ArchTest
    static final ArchRule noCyclesBetweenGuiPackages = slices().matching("io.jpen.gui.(**)").should().beFreeOfCycles();

    @ArchTest
    static void noGuiClassSharesItsNameWithAnother(JavaClasses classes) {
        Map<String, List<String>> byName = new HashMap<>();
        for (JavaClass c : classes) {
            if (c.isTopLevelClass()) byName.computeIfAbsent(c.getSimpleName(), n -> new ArrayList<>()).add(c.getName());
        }
        List<String> shared = new ArrayList<>();
        for (List<String> same : byName.values()) {
            if (same.size() > 1 && same.stream().anyMatch(n -> n.startsWith("io.jpen.gui."))) shared.add(same.toString());
        }
        assertThat(shared).as("GUI classes that share a name").isEmpty();
    }
}
