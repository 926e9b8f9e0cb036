package io.github.layercache.registry;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * One request to a registry's API and its whole answer, over the JDK's {@link HttpURLConnection}. A
 * cold JVM sends its first request through it in tens of milliseconds, where {@code java.net.http}'s
 * client takes about half a second to set up (its TLS among the rest) before the first byte goes out:
 * that half second fell on every build that explains a miss, and on every tagging. Redirects are
 * never followed: one to blob storage (ECR serves blobs from S3) must not carry the registry's
 * credentials along. A request is not interrupted: its timeouts bound it. Thread-safe: each request
 * has a connection of its own (kept alive by the JDK).
 */
final class RegistryHttp {

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(30);

    /** A request: its method, address, headers and body (null for none). */
    record Request(String method, URI uri, Map<String, String> headers, byte[] body) {
        Request {
            headers = Map.copyOf(headers);
        }

        static Request get(URI uri) {
            return new Request("GET", uri, Map.of(), null);
        }

        static Request head(URI uri) {
            return new Request("HEAD", uri, Map.of(), null);
        }

        static Request post(URI uri) {
            return new Request("POST", uri, Map.of(), new byte[0]);
        }

        static Request put(URI uri, String contentType, byte[] body) {
            return new Request("PUT", uri, Map.of("Content-Type", contentType), body);
        }

        /** The same request with {@code name} set to {@code value}. */
        Request header(String name, String value) {
            Map<String, String> more = new LinkedHashMap<>(headers);
            more.put(name, value);
            return new Request(method, uri, more, body);
        }
    }

    /** A response: its status, headers (names in any case) and body (empty for none). */
    record Response(int statusCode, Map<String, List<String>> headers, byte[] body) {
        Response {
            Map<String, List<String>> byName = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            headers.forEach((name, values) -> {
                if (name != null) {
                    byName.put(name, List.copyOf(values));
                }
            });
            headers = byName;
        }

        Optional<String> header(String name) {
            List<String> values = headers.get(name);
            return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
        }
    }

    private final Duration timeout;

    /** @param timeout how long a response may keep the caller waiting between two reads */
    RegistryHttp(Duration timeout) {
        this.timeout = timeout;
    }

    Response send(Request request) throws IOException {
        HttpURLConnection connection = (HttpURLConnection) request.uri().toURL().openConnection();
        try {
            connection.setInstanceFollowRedirects(false);
            connection.setUseCaches(false);
            connection.setConnectTimeout(Math.toIntExact(CONNECT_TIMEOUT.toMillis()));
            connection.setReadTimeout(Math.toIntExact(Math.min(Integer.MAX_VALUE, timeout.toMillis())));
            connection.setRequestMethod(request.method());
            request.headers().forEach(connection::setRequestProperty);
            if (request.body() != null) {
                // Not streamed: a streamed request cannot be answered with 401, which asks for a token.
                connection.setDoOutput(true);
                try (OutputStream out = connection.getOutputStream()) {
                    out.write(request.body());
                }
            }
            int status = connection.getResponseCode();
            byte[] body;
            try (InputStream in = status >= 400 ? connection.getErrorStream() : connection.getInputStream()) {
                body = in == null ? new byte[0] : in.readAllBytes();
            }
            return new Response(status, connection.getHeaderFields(), body);
        } catch (IOException e) {
            connection.disconnect();
            throw e;
        }
    }
}
