package io.github.layercache.maven;

import static io.github.layercache.core.Text.blankToNull;

import io.github.layercache.auth.DockerConfigLocation;
import io.github.layercache.auth.EcrRegistry;
import io.github.layercache.auth.LazyEcrApi;
import io.github.layercache.auth.RegistryLogin;
import io.github.layercache.auth.SdkEcrApi;
import io.github.layercache.core.InvalidSpecException;
import io.github.layercache.core.JsonDocuments;
import io.github.layercache.core.LayercacheException;
import io.github.layercache.core.ParameterHints;
import io.github.layercache.docker.DockerCli;
import io.github.layercache.log.BuildLog;
import io.github.layercache.process.LocalProcessRunner;
import io.github.layercache.registry.RegistryCredential;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.maven.execution.MavenSession;
import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.MojoExecution;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Component;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.project.MavenProject;
import org.apache.maven.settings.Server;
import org.apache.maven.settings.Settings;
import org.apache.maven.settings.crypto.DefaultSettingsDecryptionRequest;
import org.apache.maven.settings.crypto.SettingsDecrypter;
import org.apache.maven.settings.crypto.SettingsDecryptionResult;

/** What every goal shares: skip handling, the log, and turning core errors into messages that say what to set. */
abstract class AbstractLayercacheMojo extends AbstractMojo {

    /**
     * Skips every goal of this plugin.
     *
     * @since 0.1.0
     */
    @Parameter(property = PropertyNames.SKIP, defaultValue = "false")
    protected boolean skip;

    /**
     * Builds (and pushes) an image for this module although its packaging is {@code pom}. A
     * {@code pom} module whose own POM sets {@code dockerfile} or {@code contextDirectory} for the
     * plugin builds one without it; any other {@code pom} module (a parent that passes configuration
     * down) is skipped.
     *
     * @since 0.1.0
     */
    @Parameter(defaultValue = "false")
    protected boolean pomImage;

    /**
     * The docker CLI to run, a name on the {@code PATH} or a full path.
     *
     * @since 0.1.0
     */
    @Parameter(property = PropertyNames.DOCKER, defaultValue = "docker")
    protected String dockerExecutable;

    /**
     * Logs in to Amazon ECR registries through the AWS SDK (default credentials chain) for the
     * build, into a private docker config.
     *
     * @since 0.1.0
     */
    @Parameter(property = PropertyNames.ECR_LOGIN, defaultValue = "true")
    protected boolean ecrLogin;

    /**
     * The AWS profile for the ECR login. Default: the default credentials chain's choice.
     *
     * @since 0.1.0
     */
    @Parameter(property = PropertyNames.AWS_PROFILE)
    protected String awsProfile;

    /**
     * The region for ECR API calls. Default: the registry's own region, from its host.
     *
     * @since 0.1.0
     */
    @Parameter(property = PropertyNames.AWS_REGION)
    protected String awsRegion;

    /**
     * Hosts that are Amazon ECR although their names do not say so (VPC endpoints, proxies), each
     * with {@code <host>}, {@code <account>} and {@code <region>}.
     *
     * @since 0.1.0
     */
    @Parameter
    protected List<EcrRegistryConfig> ecrRegistries;

    @Parameter(defaultValue = "${project}", readonly = true, required = true)
    protected MavenProject project;

    @Parameter(defaultValue = "${settings}", readonly = true, required = true)
    protected Settings settings;

    @Component
    private SettingsDecrypter settingsDecrypter;

    @Component
    private SessionTokens sessionTokens;

    @Parameter(defaultValue = "${session}", readonly = true, required = true)
    protected MavenSession session;

    @Parameter(defaultValue = "${mojoExecution}", readonly = true, required = true)
    protected MojoExecution mojoExecution;

    @Override
    public final void execute() throws MojoExecutionException, MojoFailureException {
        if (skip) {
            getLog().info("Skipping layercache (" + PropertyNames.SKIP + "=true)");
            return;
        }
        if ("pom".equals(project.getPackaging()) && !PomModuleImage.asked(pomImage, project.getOriginalModel())) {
            getLog().debug("Skipping layercache for pom packaging: this POM does not set dockerfile,"
                    + " contextDirectory or pomImage for the plugin");
            return;
        }
        BuildLog log = new MavenBuildLog(getLog(), project.getArtifactId(), session.isParallel());
        JsonDocuments.warmUpInBackground();
        try {
            run(log);
        } catch (LayercacheException e) {
            throw new MojoFailureException(explain(e, hints()), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MojoExecutionException("Interrupted; the docker process was stopped.", e);
        }
    }

    /** The goal's work, once skip checks have passed. */
    protected abstract void run(BuildLog log) throws LayercacheException, InterruptedException;

    /** How this goal logs in to registries: ECR through the SDK, other hosts from settings.xml servers. */
    protected RegistryLogin registryLogin(BuildLog log) throws InvalidSpecException {
        List<EcrRegistry> declared = new ArrayList<>();
        for (EcrRegistryConfig config : ecrRegistries == null ? List.<EcrRegistryConfig>of() : ecrRegistries) {
            declared.add(EcrRegistry.declared(config.host(), config.account(), config.region()));
        }
        return new RegistryLogin(
                new LazyEcrApi(
                        "profile=" + blankToNull(awsProfile) + " region=" + blankToNull(awsRegion),
                        () -> new SdkEcrApi(blankToNull(awsProfile), blankToNull(awsRegion))),
                sessionTokens.cache(),
                ecrLogin,
                declared,
                this::serverCredential,
                log);
    }

    /** The docker CLI this goal runs, every docker and buildx command through it. */
    protected DockerCli docker(BuildLog log) {
        return new DockerCli(dockerExecutable, new LocalProcessRunner(), log);
    }

    /** The user's docker configuration (only ever read), and where this goal's private one goes. */
    protected static DockerConfigLocation dockerConfig() {
        return DockerConfigLocation.of(
                System.getenv(),
                Path.of(System.getProperty("user.home")),
                Path.of(System.getProperty("java.io.tmpdir")));
    }

    /** How the user sets this goal's parameters, from its descriptor, for messages that say what to change. */
    protected ParameterHints hints() {
        return DescriptorHints.of(mojoExecution.getMojoDescriptor());
    }

    /** A settings.xml server whose id is the registry host, with Maven's password decryption. */
    Optional<RegistryCredential> serverCredential(String host) {
        Server server = settings == null ? null : settings.getServer(host);
        if (server == null) {
            return Optional.empty();
        }
        SettingsDecryptionResult decrypted = settingsDecrypter.decrypt(new DefaultSettingsDecryptionRequest(server));
        Server plain = decrypted.getServer() != null ? decrypted.getServer() : server;
        if (plain.getUsername() == null || plain.getPassword() == null) {
            getLog().warn("The settings.xml server " + host
                    + " has no username or password: not used for the registry.");
            return Optional.empty();
        }
        return Optional.of(new RegistryCredential(host, plain.getUsername(), plain.getPassword()));
    }

    /** The core's message plus where to change the setting: the XML element and, when there is one, its -D property. */
    static String explain(LayercacheException e, ParameterHints hints) {
        return e.parameter()
                .map(parameter -> e.getMessage() + " Set <" + parameter + ">"
                        + hints.property(parameter)
                                .map(property -> " (or -D" + property + ")")
                                .orElse("")
                        + " in the plugin configuration.")
                .orElse(e.getMessage());
    }
}
