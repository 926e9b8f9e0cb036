package io.github.layercache.maven;

import io.github.layercache.buildx.BuilderProbe;
import javax.inject.Named;
import javax.inject.Singleton;

/** What the builders of this Maven run are, asked once and shared by every module and thread. */
@Named
@Singleton
public class SessionBuilders {

    private final BuilderProbe.Answers answers = new BuilderProbe.Answers();

    BuilderProbe.Answers answers() {
        return answers;
    }
}
