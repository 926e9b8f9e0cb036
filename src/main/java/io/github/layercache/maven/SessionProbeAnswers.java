package io.github.layercache.maven;

import io.github.layercache.buildx.BuilderProbe;
import javax.inject.Named;
import javax.inject.Singleton;

/** The builder probe's answers (what each builder is) of this Maven run, shared by every module and thread. */
@Named
@Singleton
public class SessionProbeAnswers {

    private final BuilderProbe.Answers answers = new BuilderProbe.Answers();

    BuilderProbe.Answers answers() {
        return answers;
    }
}
