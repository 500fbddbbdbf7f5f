package io.jpen.gui.testing;

import io.jpen.gui.app.Session;
import io.jpen.gui.app.Sessions;
import io.jpen.gui.fx.FxThread;
import io.jpen.gui.model.ConsoleModel;
import io.jpen.gui.view.MainView;
import io.jpen.gui.view.Theme;
import javafx.scene.Scene;
import javafx.stage.Stage;
import org.testfx.util.WaitForAsyncUtils;

/** The demo (balancer, servers, load) shown in the test's stage, as the console shows it; closed after the test. */
public final class DemoWindow implements AutoCloseable {
    private final Session demo;
    private final ConsoleModel model;
    private final MainView view;
    private final Theme theme = new Theme(false);

    /** On the FX thread (a TestFX {@code @Start} method): opens the demo in {@code stage}, light, width × height. */
    public DemoWindow(Stage stage, double width, double height) {
        demo = Sessions.demo();
        model = new ConsoleModel(demo.console(), new FxThread(), demo.serverNames(), System::currentTimeMillis).start();
        view = new MainView(model, () -> { }, () -> { }, () -> { });
        Scene scene = new Scene(view, width, height);
        theme.apply(scene);
        stage.setScene(scene);
        stage.show();
    }

    public ConsoleModel model() { return model; }
    public MainView view() { return view; }
    public Theme theme() { return theme; }

    @Override
    public void close() {
        WaitForAsyncUtils.asyncFx(() -> {
            view.stop();
            model.close();
        });
        demo.close();
    }
}
