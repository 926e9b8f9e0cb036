package io.github.layercache.cache;

import io.github.layercache.core.InvalidSpecException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One BuildKit cache backend, as {@code --cache-from} / {@code --cache-to} take it: a type and its
 * parameters, like AWS CDK's {@code DockerCacheOption} ({@code type=gha,scope=orders} is CDK's
 * {@code {type: 'gha', params: {scope: 'orders'}}}).
 */
public record CacheBackend(String type, Map<String, String> params) {

    /** BuildKit's cache backends and the parameters each one takes. */
    private static final Map<String, Set<String>> PARAMETERS = Map.of(
            "registry",
            Set.of(
                    "ref",
                    "mode",
                    "image-manifest",
                    "oci-mediatypes",
                    "compression",
                    "compression-level",
                    "force-compression",
                    "ignore-error"),
            "local",
            Set.of(
                    "src",
                    "dest",
                    "mode",
                    "image-manifest",
                    "oci-mediatypes",
                    "compression",
                    "compression-level",
                    "force-compression",
                    "ignore-error",
                    "digest",
                    "tag"),
            "inline",
            Set.of(),
            "gha",
            Set.of(
                    "url",
                    "url_v2",
                    "token",
                    "scope",
                    "mode",
                    "ignore-error",
                    "timeout",
                    "repository",
                    "ghtoken",
                    "version"),
            "s3",
            Set.of(
                    "region",
                    "bucket",
                    "name",
                    "endpoint_url",
                    "prefix",
                    "blobs_prefix",
                    "manifests_prefix",
                    "use_path_style",
                    "access_key_id",
                    "secret_access_key",
                    "session_token",
                    "mode",
                    "ignore-error",
                    "touch_refresh",
                    "upload_parallelism"),
            "azblob",
            Set.of(
                    "account_url",
                    "name",
                    "secret_access_key",
                    "prefix",
                    "blobs_prefix",
                    "manifests_prefix",
                    "mode",
                    "ignore-error",
                    "upload_parallelism"));

    /** BuildKit's cache backends. */
    public static final Set<String> TYPES = PARAMETERS.keySet();

    /** Parameters that hold credentials: on a command line they would be visible to every user of the machine. */
    private static final Set<String> SECRET_PARAMETERS =
            Set.of("secret_access_key", "session_token", "token", "ghtoken");

    private static final Pattern SECRET_VALUE =
            Pattern.compile("(?<=^|,|\")((?:secret_access_key|session_token|token|ghtoken))=[^,\"]*");

    public CacheBackend {
        params = Collections.unmodifiableMap(new LinkedHashMap<>(params));
    }

    /** A registry cache at {@code ref}, as imported. */
    public static CacheBackend registry(String ref) {
        return new CacheBackend("registry", Map.of("ref", ref));
    }

    /**
     * Reads either a plain image reference (a registry cache) or a raw {@code type=…,key=value} spec.
     *
     * @param parameter the plugin parameter the value came from, for the error message
     */
    public static CacheBackend parse(String value, String parameter) throws InvalidSpecException {
        String text = value == null ? "" : value.trim();
        if (text.isEmpty()) {
            throw new InvalidSpecException(parameter, "A cache entry is empty.");
        }
        if (!text.contains("=")) {
            return registry(text);
        }
        Map<String, String> fields = new LinkedHashMap<>();
        for (String field : splitFields(text, parameter)) {
            int eq = field.indexOf('=');
            if (eq <= 0) {
                throw new InvalidSpecException(
                        parameter,
                        "Cache entry '" + masked(value) + "': '" + field + "' is not of the form key=value.");
            }
            fields.put(field.substring(0, eq).trim(), field.substring(eq + 1).trim());
        }
        String type = fields.remove("type");
        if (type == null) {
            throw new InvalidSpecException(
                    parameter,
                    "Cache entry '" + masked(value) + "' has parameters but no type: start it with type=registry,"
                            + " type=gha, type=s3, type=local, type=inline or type=azblob.");
        }
        if (!TYPES.contains(type)) {
            throw new InvalidSpecException(
                    parameter,
                    "Unknown cache type '" + type + "' in '" + masked(value) + "': BuildKit knows "
                            + String.join(", ", sorted(TYPES)) + ".");
        }
        for (String key : fields.keySet()) {
            if (!PARAMETERS.get(type).contains(key)) {
                throw new InvalidSpecException(
                        parameter,
                        "Unknown parameter '" + key + "' for the " + type + " cache in '" + masked(value) + "'"
                                + (PARAMETERS.get(type).isEmpty()
                                        ? ": it takes none."
                                        : ": it takes " + String.join(", ", sorted(PARAMETERS.get(type))) + "."));
            }
        }
        if (type.equals("registry") && !fields.containsKey("ref")) {
            throw new InvalidSpecException(
                    parameter, "Registry cache entry '" + masked(value) + "' needs ref=<image>.");
        }
        return new CacheBackend(type, fields);
    }

    /** The parameters that carry credentials, e.g. an S3 secret key: better left to the environment. */
    public List<String> secretParameters() {
        return params.keySet().stream()
                .filter(SECRET_PARAMETERS::contains)
                .sorted()
                .toList();
    }

    public Optional<String> ref() {
        return Optional.ofNullable(params.get("ref"));
    }

    public boolean isRegistry() {
        return type.equals("registry");
    }

    /** Returns a copy with one parameter set, keeping the order of the others. */
    public CacheBackend with(String key, String value) {
        Map<String, String> copy = new LinkedHashMap<>(params);
        copy.put(key, value);
        return new CacheBackend(type, copy);
    }

    /** The value for {@code --cache-from}/{@code --cache-to}. */
    public String toArgument() {
        StringBuilder out = new StringBuilder("type=").append(type);
        params.forEach((k, v) -> out.append(',').append(csvField(k + "=" + v)));
        return out.toString();
    }

    /** buildx reads these specs as CSV: a field with a comma or a quote is quoted whole, quotes doubled. */
    private static String csvField(String field) {
        if (field.indexOf(',') < 0 && field.indexOf('"') < 0) {
            return field;
        }
        return '"' + field.replace("\"", "\"\"") + '"';
    }

    /** What the log and the result file show: the ref for registry caches, else the spec with credentials masked. */
    public String describe() {
        return isRegistry() ? params.get("ref") : masked(toArgument());
    }

    /** The values of the parameters that carry credentials, for the process runner to mask. */
    public List<String> secretValues() {
        return params.entrySet().stream()
                .filter(e ->
                        SECRET_PARAMETERS.contains(e.getKey()) && !e.getValue().isEmpty())
                .map(Map.Entry::getValue)
                .toList();
    }

    /** A spec as text with the values of credential parameters replaced by {@code ****}. */
    static String masked(String spec) {
        return SECRET_VALUE.matcher(spec).replaceAll("$1=****");
    }

    private static List<String> splitFields(String text, String parameter) throws InvalidSpecException {
        List<String> fields = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        boolean quoted = false;
        for (char c : text.toCharArray()) {
            if (c == '"') {
                quoted = !quoted;
            } else if (c == ',' && !quoted) {
                fields.add(current.toString());
                current.setLength(0);
            } else {
                current.append(c);
            }
        }
        if (quoted) {
            throw new InvalidSpecException(parameter, "Cache entry '" + masked(text) + "' has an unclosed quote.");
        }
        fields.add(current.toString());
        return fields;
    }

    private static List<String> sorted(Set<String> values) {
        return values.stream().sorted().toList();
    }
}
