package io.github.layercache.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ImmutableTagProxyTest {

    private final Map<String, byte[]> manifests = new HashMap<>();
    private HttpServer registry;
    private ImmutableTagProxy proxy;
    private final HttpClient http = HttpClient.newHttpClient();

    /** A registry that keeps manifests by path and answers HEAD with their digest. */
    @BeforeEach
    void start() throws Exception {
        registry = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 8);
        registry.createContext("/", exchange -> {
            String path = exchange.getRequestURI().getPath();
            byte[] body = exchange.getRequestBody().readAllBytes();
            if (exchange.getRequestMethod().equals("PUT")) {
                manifests.put(path, body);
                exchange.sendResponseHeaders(201, -1);
            } else if (manifests.containsKey(path)) {
                exchange.getResponseHeaders().set("Docker-Content-Digest", digest(manifests.get(path)));
                exchange.sendResponseHeaders(200, -1);
            } else {
                exchange.sendResponseHeaders(404, -1);
            }
            exchange.close();
        });
        registry.start();
        proxy = new ImmutableTagProxy(0, "127.0.0.1:" + registry.getAddress().getPort());
    }

    @AfterEach
    void stop() {
        proxy.close();
        registry.stop(0);
    }

    @Test
    void aTagCanBeWrittenOnceAndThenNotOverwrittenWithAnotherManifest() throws Exception {
        assertThat(put("/v2/app/manifests/buildcache", "one")).isEqualTo(201);
        assertThat(put("/v2/app/manifests/buildcache", "one")).isEqualTo(201);

        HttpResponse<String> refused = send("/v2/app/manifests/buildcache", "two");

        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(refused.body()).contains("TAG_INVALID", "cannot be overwritten because the repository is immutable");
        assertThat(new String(manifests.get("/v2/app/manifests/buildcache"), StandardCharsets.UTF_8))
                .isEqualTo("one");
    }

    @Test
    void aTlsHandshakeIsAnsweredWithAnHttpErrorSoThatClientsFallBackToPlainHttp() throws Exception {
        String address = proxy.address();
        int port = Integer.parseInt(address.substring(address.indexOf(':') + 1));
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            socket.setSoTimeout(5000);
            OutputStream out = socket.getOutputStream();
            out.write(new byte[] {0x16, 0x03, 0x01, 0x00, 0x05, 0x01, 0x00, 0x00, 0x01, 0x00});
            out.flush();
            InputStream in = socket.getInputStream();

            assertThat(new String(in.readAllBytes(), StandardCharsets.US_ASCII)).startsWith("HTTP/1.1 400 ");
        }
    }

    private int put(String path, String body) throws Exception {
        return send(path, body).statusCode();
    }

    private HttpResponse<String> send(String path, String body) throws Exception {
        return http.send(
                HttpRequest.newBuilder(URI.create("http://" + proxy.address() + path))
                        .PUT(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static String digest(byte[] body) {
        try {
            return "sha256:"
                    + java.util.HexFormat.of()
                            .formatHex(java.security.MessageDigest.getInstance("SHA-256")
                                    .digest(body));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
