package io.github.layercache.maven;

import java.io.IOException;
import java.io.Reader;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.apache.maven.plugin.descriptor.MojoDescriptor;
import org.apache.maven.plugin.descriptor.PluginDescriptorBuilder;
import org.codehaus.plexus.configuration.PlexusConfigurationException;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.xml.sax.SAXException;

/**
 * The plugin descriptor that maven-plugin-plugin generated into {@code target/classes}: what Maven
 * itself reads to bind {@code <configuration>} elements and {@code -D} properties to the mojos.
 */
record GeneratedDescriptor(Path file, String goalPrefix, List<Goal> goals) {

    /** Goals implemented in this package, as opposed to the generated {@code help} goal. */
    static final String OWN_PACKAGE = BuildMojo.class.getPackageName() + ".";

    private static final Pattern EXPRESSION = Pattern.compile("\\$\\{([^}]+)}");

    record Goal(String name, String implementation, String phase, boolean threadSafe, List<GoalParameter> parameters) {

        boolean isOwn() {
            return implementation.startsWith(OWN_PACKAGE);
        }

        Optional<GoalParameter> parameter(String name) {
            return parameters.stream().filter(p -> p.name().equals(name)).findFirst();
        }
    }

    /**
     * One mojo parameter.
     *
     * @param property the user property ({@code -D}) it reads, if any
     */
    record GoalParameter(String name, boolean editable, String since, String description, Optional<String> property) {}

    static Path location() {
        try {
            Path classes = Path.of(BuildMojo.class
                    .getProtectionDomain()
                    .getCodeSource()
                    .getLocation()
                    .toURI());
            return classes.resolve("META-INF/maven/plugin.xml");
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A goal as Maven itself reads it from plugin.xml, for the code that works on Maven's descriptor types. */
    static MojoDescriptor mojoDescriptor(String goal) {
        try (Reader reader = Files.newBufferedReader(location(), StandardCharsets.UTF_8)) {
            MojoDescriptor mojo = new PluginDescriptorBuilder().build(reader).getMojo(goal);
            if (mojo == null) {
                throw new IllegalStateException("no goal " + goal + " in " + location());
            }
            return mojo;
        } catch (IOException | PlexusConfigurationException e) {
            throw new IllegalStateException("Cannot read " + location() + ": " + e.getMessage(), e);
        }
    }

    static GeneratedDescriptor read() throws IOException {
        Path file = location();
        if (!Files.isRegularFile(file)) {
            throw new IllegalStateException(file + " does not exist: run the build up to process-classes first");
        }
        Document document;
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            document = factory.newDocumentBuilder().parse(file.toFile());
        } catch (ParserConfigurationException | SAXException e) {
            throw new IOException("Cannot parse " + file + ": " + e.getMessage(), e);
        }
        Element plugin = document.getDocumentElement();
        List<Goal> goals = new ArrayList<>();
        for (Element mojo : children(child(plugin, "mojos").orElseThrow(), "mojo")) {
            Optional<Element> configuration = child(mojo, "configuration");
            List<GoalParameter> parameters = new ArrayList<>();
            for (Element parameter :
                    child(mojo, "parameters").map(p -> children(p, "parameter")).orElse(List.of())) {
                String name = text(parameter, "name").orElseThrow();
                parameters.add(new GoalParameter(
                        name,
                        text(parameter, "editable").map(Boolean::parseBoolean).orElse(true),
                        text(parameter, "since").orElse(null),
                        text(parameter, "description").orElse(null),
                        property(parameter, configuration, name)));
            }
            goals.add(new Goal(
                    text(mojo, "goal").orElseThrow(),
                    text(mojo, "implementation").orElseThrow(),
                    text(mojo, "phase").orElse(null),
                    text(mojo, "threadSafe").map(Boolean::parseBoolean).orElse(false),
                    List.copyOf(parameters)));
        }
        return new GeneratedDescriptor(file, text(plugin, "goalPrefix").orElse(null), List.copyOf(goals));
    }

    Optional<Goal> goal(String name) {
        return goals.stream().filter(g -> g.name().equals(name)).findFirst();
    }

    List<Goal> ownGoals() {
        return goals.stream().filter(Goal::isOwn).toList();
    }

    /**
     * The user property of a parameter: {@code <property>} or {@code <expression>} in the parameter
     * (older descriptor formats), else the {@code ${…}} value of its element in {@code <configuration>}.
     */
    private static Optional<String> property(Element parameter, Optional<Element> configuration, String name) {
        Optional<String> declared = text(parameter, "property");
        if (declared.isPresent()) {
            return declared;
        }
        Optional<String> expression = text(parameter, "expression");
        if (expression.isEmpty()) {
            expression = configuration.flatMap(c -> child(c, name)).map(e -> e.getTextContent()
                    .strip());
        }
        return expression.flatMap(GeneratedDescriptor::unwrap);
    }

    private static Optional<String> unwrap(String expression) {
        Matcher matcher = EXPRESSION.matcher(expression);
        return matcher.matches() ? Optional.of(matcher.group(1)) : Optional.empty();
    }

    private static Optional<Element> child(Element parent, String name) {
        List<Element> matching = children(parent, name);
        return matching.isEmpty() ? Optional.empty() : Optional.of(matching.get(0));
    }

    private static List<Element> children(Element parent, String name) {
        List<Element> result = new ArrayList<>();
        for (Node node = parent.getFirstChild(); node != null; node = node.getNextSibling()) {
            if (node instanceof Element element && element.getTagName().equals(name)) {
                result.add(element);
            }
        }
        return result;
    }

    private static Optional<String> text(Element parent, String name) {
        return child(parent, name).map(e -> e.getTextContent().strip()).filter(s -> !s.isEmpty());
    }
}
