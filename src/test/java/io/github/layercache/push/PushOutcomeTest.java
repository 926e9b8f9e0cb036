package io.github.layercache.push;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.layercache.registry.ImageReference;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class PushOutcomeTest {

    private static final String DIGEST = "sha256:fd9164660368eb80ea83d9ad08c17bd027f7a5135d6a80d54c53fa39bdb00b34";
    private static final String ECR = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/orders";

    @Test
    void referencesStartWithTheDigestThenEveryTagInOrder() throws Exception {
        PushOutcome outcome = new PushOutcome(spec(ECR, List.of("1.0.0", "latest", "abc1234")), DIGEST);

        assertThat(outcome.references())
                .containsExactly(ECR + "@" + DIGEST, ECR + ":1.0.0", ECR + ":latest", ECR + ":abc1234");
    }

    @Test
    void referencesOfARepositoryWithoutRegistryHost() throws Exception {
        PushOutcome outcome = new PushOutcome(spec("team/app", List.of("1")), DIGEST);

        assertThat(outcome.references()).containsExactly("team/app@" + DIGEST, "team/app:1");
    }

    @Test
    void referencesOfARegistryWithAPort() throws Exception {
        PushOutcome outcome = new PushOutcome(spec("127.0.0.1:5501/probe", List.of("1")), DIGEST);

        assertThat(outcome.references()).containsExactly("127.0.0.1:5501/probe@" + DIGEST, "127.0.0.1:5501/probe:1");
    }

    private static PushSpec spec(String repository, List<String> tags) throws Exception {
        return new PushSpec(
                ImageReference.parse(repository, "image"),
                tags,
                "sha256:0000000000000000000000000000000000000000000000000000000000000000",
                new PushAttempts(3, Duration.ofSeconds(2), Duration.ofMinutes(10)),
                false);
    }
}
