package io.github.layercache.fingerprint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

class DockerIgnoreTest {

    @TempDir
    Path context;

    private static DockerIgnore rules(String... lines) {
        return DockerIgnore.parse(String.join("\n", lines));
    }

    @Test
    void skipsCommentsAndBlankLinesAndTrimsPatterns() {
        DockerIgnore ignore = DockerIgnore.parse("\uFEFF# comment\n\n   \n  target  \r\n\t*.log\t\n  # indented\n");

        assertThat(ignore.excludes("target/app.jar")).isTrue();
        assertThat(ignore.excludes("a.log")).isTrue();
        assertThat(ignore.excludes("# comment")).isFalse();
        // BuildKit treats '#' as a comment only in the first column; after trimming this line is a pattern.
        assertThat(ignore.excludes("# indented")).isTrue();
        assertThat(ignore.excludes("src/App.java")).isFalse();
        assertThat(DockerIgnore.parse("# only a comment\n\n").excludes("# only a comment"))
                .isFalse();
    }

    @Test
    void singleStarStaysAtItsLevel() {
        DockerIgnore ignore = rules("*.md");

        assertThat(ignore.excludes("README.md")).isTrue();
        assertThat(ignore.excludes("docs/guide.md")).isFalse();
        assertThat(ignore.excludes("README.txt")).isFalse();
    }

    @Test
    void leadingDoubleStarMatchesAtAnyDepth() {
        DockerIgnore ignore = rules("**/*.md");

        assertThat(ignore.excludes("README.md")).isTrue();
        assertThat(ignore.excludes("docs/guide.md")).isTrue();
        assertThat(ignore.excludes("a/b/c/notes.md")).isTrue();
        assertThat(ignore.excludes("docs/guide.txt")).isFalse();
    }

    @Test
    void directoryPatternExcludesItsSubtreeOnly() {
        DockerIgnore ignore = rules("node_modules");

        assertThat(ignore.excludes("node_modules")).isTrue();
        assertThat(ignore.excludes("node_modules/x/y.js")).isTrue();
        assertThat(ignore.excludes("web/node_modules/y.js")).isFalse();
        assertThat(ignore.excludes("node_modules2/y.js")).isFalse();
    }

    @Test
    void trailingDoubleStarMatchesEverythingBelow() {
        DockerIgnore ignore = rules("foo/**");

        assertThat(ignore.excludes("foo/a")).isTrue();
        assertThat(ignore.excludes("foo/a/b/c.txt")).isTrue();
        assertThat(ignore.excludes("foo")).isFalse();
        assertThat(ignore.excludes("foobar/a")).isFalse();
    }

    @Test
    void innerDoubleStarMatchesZeroOrMoreDirectories() {
        DockerIgnore ignore = rules("a/**/b");

        assertThat(ignore.excludes("a/b")).isTrue();
        assertThat(ignore.excludes("a/x/b")).isTrue();
        assertThat(ignore.excludes("a/x/y/b")).isTrue();
        assertThat(ignore.excludes("a/x/y/b/file")).isTrue();
        assertThat(ignore.excludes("a/xb")).isFalse();
        assertThat(ignore.excludes("b")).isFalse();
    }

    @Test
    void doubleStarKeepsMobyQuirks() {
        // A leading "**" with no other wildcard is a plain suffix test, across directories.
        assertThat(rules("**.md").excludes("docs/guide.md")).isTrue();
        assertThat(rules("**foo").excludes("barfoo")).isTrue();
        // A trailing "**" is a plain prefix test.
        assertThat(rules("foo**").excludes("food/x")).isTrue();
        // "**" inside a name still only stands for whole directories.
        assertThat(rules("a**b").excludes("a/x/b")).isTrue();
        assertThat(rules("a**b").excludes("axb")).isFalse();
    }

    @Test
    void questionMarkIsOneCharacterOtherThanSlash() {
        DockerIgnore ignore = rules("file?.txt", "a?b");

        assertThat(ignore.excludes("file1.txt")).isTrue();
        assertThat(ignore.excludes("file.txt")).isFalse();
        assertThat(ignore.excludes("file12.txt")).isFalse();
        assertThat(ignore.excludes("a-b")).isTrue();
        assertThat(ignore.excludes("a/b")).isFalse();
    }

    @Test
    void characterClasses() {
        assertThat(rules("[abc].txt").excludes("b.txt")).isTrue();
        assertThat(rules("[abc].txt").excludes("d.txt")).isFalse();
        assertThat(rules("[a-z].log").excludes("q.log")).isTrue();
        assertThat(rules("[a-z].log").excludes("Q.log")).isFalse();
        assertThat(rules("[^a].cfg").excludes("b.cfg")).isTrue();
        assertThat(rules("[^a].cfg").excludes("a.cfg")).isFalse();
        assertThat(rules("[\\]x]").excludes("]")).isTrue();
        // Go negates with '^' only: in "[!a]" the '!' is a member, as in BuildKit.
        assertThat(rules("x[!a]").excludes("x!")).isTrue();
        assertThat(rules("x[!a]").excludes("xa")).isTrue();
        assertThat(rules("x[!a]").excludes("xb")).isFalse();
    }

    @Test
    void backslashEscapesTheNextCharacter() {
        DockerIgnore ignore = rules("\\*.txt", "\\[x\\]", "a\\?");

        assertThat(ignore.excludes("*.txt")).isTrue();
        assertThat(ignore.excludes("a.txt")).isFalse();
        assertThat(ignore.excludes("[x]")).isTrue();
        assertThat(ignore.excludes("x")).isFalse();
        assertThat(ignore.excludes("a?")).isTrue();
        assertThat(ignore.excludes("ab")).isFalse();
    }

    @Test
    void leadingSlashIsRelativeToTheContextRoot() {
        DockerIgnore ignore = rules("/build");

        assertThat(ignore.excludes("build/x.o")).isTrue();
        assertThat(ignore.excludes("src/build/x.o")).isFalse();
    }

    @Test
    void patternsAreCleaned() {
        assertThat(rules("./x").excludes("x/y")).isTrue();
        assertThat(rules("x/").excludes("x/y")).isTrue();
        assertThat(rules("a/../b").excludes("b/c")).isTrue();
        assertThat(rules("a/../b").excludes("a/b")).isFalse();
        assertThat(rules("//x//./y/").excludes("x/y")).isTrue();
        assertThat(rules("! /keep", "*").excludes("keep")).isTrue();
        assertThat(rules("*", "! /keep").excludes("keep")).isFalse();
    }

    @Test
    void exceptionReincludesBelowAnExcludedDirectory() {
        DockerIgnore ignore = rules("*", "!target/app.jar");

        assertThat(ignore.excludes("target/app.jar")).isFalse();
        assertThat(ignore.excludes("target")).isTrue();
        assertThat(ignore.excludes("target/other.jar")).isTrue();
        assertThat(ignore.excludes("README.md")).isTrue();
    }

    @Test
    void lastMatchingPatternDecides() {
        assertThat(rules("docs", "!docs/keep.md").excludes("docs/keep.md")).isFalse();
        assertThat(rules("docs", "!docs/keep.md").excludes("docs/other.md")).isTrue();
        assertThat(rules("docs", "!docs/keep.md", "docs/keep.md").excludes("docs/keep.md"))
                .isTrue();

        // The examples of the .dockerignore documentation.
        DockerIgnore secretExcluded = rules("*.md", "!README*.md", "README-secret.md");
        assertThat(secretExcluded.excludes("README-secret.md")).isTrue();
        assertThat(secretExcluded.excludes("README.md")).isFalse();
        assertThat(secretExcluded.excludes("CHANGES.md")).isTrue();
        DockerIgnore allReadmes = rules("*.md", "README-secret.md", "!README*.md");
        assertThat(allReadmes.excludes("README-secret.md")).isFalse();
    }

    @Test
    void decidesDirectoryByDirectoryLikeBuildKit() {
        // BuildKit does not evaluate "!docs" for the directory docs (nothing to re-include yet), so the
        // exception is not passed down and does not reach docs/a.md, which "docs/*" excludes.
        assertThat(rules("docs/*", "!docs").excludes("docs/a.md")).isTrue();
        assertThat(rules("docs/*", "!docs").excludes("docs")).isFalse();
    }

    /** How a row of moby's table expects a pattern to match: the path itself, only a parent directory, or not. */
    enum Moby {
        EXACT,
        INEXACT,
        FAIL
    }

    // The rows of TestMatches in github.com/moby/patternmatcher, patternmatcher_test.go, commit
    // 1d6a3f429bf0541b7f69372adecc787fabc0c701, in their order and spelled as in the Go source (a text block has the
    // same escapes: the row "a\\\\" is the pattern a\\). Moby checks every row with MatchesExact, which wants EXACT to
    // match the path itself, and with MatchesOrParentMatches and MatchesUsingParentResults (the one BuildKit's walker
    // uses), which want EXACT and INEXACT to match the path or a parent directory. excludes() is the second kind, so
    // that is the check here; DockerIgnore has no call for the first.
    // The last two rows are those moby adds off Windows. Left out: its Windows-only row ("a\\\\" against "a\\",
    // INEXACT: '\\' is the separator there, not an escape), and the rows "**" and "**/" against "/" (EXACT), because
    // excludes() reads "/" as the context root, which it never excludes.
    @ParameterizedTest(name = "{0} against {1}: {2}")
    @CsvSource(textBlock = """
            **, file, EXACT
            **, file/, EXACT
            **/, file, EXACT
            **/, file/, EXACT
            **, dir/file, EXACT
            **/, dir/file, EXACT
            **, dir/file/, EXACT
            **/, dir/file/, EXACT
            **/**, dir/file, EXACT
            **/**, dir/file/, EXACT
            dir/**, dir/file, EXACT
            dir/**, dir/file/, EXACT
            dir/**, dir/dir2/file, EXACT
            dir/**, dir/dir2/file/, EXACT
            **/dir, dir, EXACT
            **/dir, dir/file, INEXACT
            **/dir2/*, dir/dir2/file, EXACT
            **/dir2/*, dir/dir2/file/, INEXACT
            **/dir2/**, dir/dir2/dir3/file, EXACT
            **/dir2/**, dir/dir2/dir3/file/, EXACT
            **file, file, EXACT
            **file, dir/file, EXACT
            **/file, dir/file, EXACT
            **file, dir/dir/file, EXACT
            **/file, dir/dir/file, EXACT
            **/file*, dir/dir/file, EXACT
            **/file*, dir/dir/file.txt, EXACT
            **/file*txt, dir/dir/file.txt, EXACT
            **/file*.txt, dir/dir/file.txt, EXACT
            **/file*.txt*, dir/dir/file.txt, EXACT
            **/**/*.txt, dir/dir/file.txt, EXACT
            **/**/*.txt2, dir/dir/file.txt, FAIL
            **/*.txt, file.txt, EXACT
            **/**/*.txt, file.txt, EXACT
            a**/*.txt, a/file.txt, EXACT
            a**/*.txt, a/dir/file.txt, EXACT
            a**/*.txt, a/dir/dir/file.txt, EXACT
            a/*.txt, a/dir/file.txt, FAIL
            a/*.txt, a/file.txt, EXACT
            a/*.txt**, a/file.txt, EXACT
            a[b-d]e, ae, FAIL
            a[b-d]e, ace, EXACT
            a[b-d]e, aae, FAIL
            a[^b-d]e, aze, EXACT
            .*, .foo, EXACT
            .*, foo, FAIL
            abc.def, abcdef, FAIL
            abc.def, abc.def, EXACT
            abc.def, abcZdef, FAIL
            abc?def, abcZdef, EXACT
            abc?def, abcdef, FAIL
            **/foo/bar, foo/bar, EXACT
            **/foo/bar, dir/foo/bar, EXACT
            **/foo/bar, dir/dir2/foo/bar, EXACT
            abc/**, abc, FAIL
            abc/**, abc/def, EXACT
            abc/**, abc/def/ghi, EXACT
            **/.foo, .foo, EXACT
            **/.foo, bar.foo, FAIL
            a(b)c/def, a(b)c/def, EXACT
            a(b)c/def, a(b)c/xyz, FAIL
            a.|)$(}+{bc, a.|)$(}+{bc, EXACT
            dist/proxy.py-2.4.0rc3.dev36+g08acad9-py3-none-any.whl, dist/proxy.py-2.4.0rc3.dev36+g08acad9-py3-none-any.whl, EXACT
            dist/*.whl, dist/proxy.py-2.4.0rc3.dev36+g08acad9-py3-none-any.whl, EXACT
            a\\\\, a\\, EXACT
            a\\*b, a*b, EXACT
            """)
    void agreesWithMobysMatchesTable(String pattern, String path, Moby expected) {
        assertThat(DockerIgnore.parse(pattern).excludes(path)).isEqualTo(expected != Moby.FAIL);
    }

    /** The multi-pattern rows of the same TestMatches, checked the same way. */
    @ParameterizedTest(name = "{0} against {1}: {2}")
    @MethodSource
    void agreesWithMobysMultiPatternTable(List<String> patterns, String path, Moby expected) {
        assertThat(DockerIgnore.parse(String.join("\n", patterns)).excludes(path))
                .isEqualTo(expected != Moby.FAIL);
    }

    static Stream<Arguments> agreesWithMobysMultiPatternTable() {
        String wheel = "dist/proxy.py-2.4.0rc3.dev36+g08acad9-py3-none-any.whl";
        return Stream.of(
                Arguments.of(List.of("**", "!util/docker/web"), "util/docker/web/foo", Moby.FAIL),
                Arguments.of(
                        List.of("**", "!util/docker/web", "util/docker/web/foo"), "util/docker/web/foo", Moby.EXACT),
                Arguments.of(List.of("**", "!" + wheel), wheel, Moby.FAIL),
                Arguments.of(List.of("**", "!dist/*.whl"), wheel, Moby.FAIL));
    }

    @Test
    void refusesPatternsBuildKitRefuses() {
        assertThatThrownBy(() -> rules("!")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> rules("ok", "[abc")).hasMessageContaining("line 2");
        assertThatThrownBy(() -> rules("[]")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> rules("[z-a]")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> rules("x\\")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void noneExcludesNothing() {
        assertThat(DockerIgnore.parse("").excludes("anything/at/all")).isFalse();
        assertThat(DockerIgnore.parse("").excludes("x")).isFalse();
    }

    @Test
    void ofReadsTheContextsDockerignore() throws IOException {
        assertThat(DockerIgnore.of(context).excludes("target/app.jar")).isFalse();

        Files.writeString(context.resolve(".dockerignore"), "target\n");

        assertThat(DockerIgnore.of(context).excludes("target/app.jar")).isTrue();
        assertThat(DockerIgnore.of(context).excludes("src/App.java")).isFalse();
    }

    @Test
    void includedFilesListsSortedFilesAndSymlinksWithoutFollowingThem() throws IOException {
        write(".dockerignore", "node_modules\ntarget\n!target/app.jar\n*.md\n");
        write("Dockerfile", "FROM scratch\n");
        write("README.md", "readme");
        write("docs/guide.md", "guide");
        write("src/main/App.java", "class App {}");
        write("src/main/resources/app.properties", "a=b");
        write("target/app.jar", "jar");
        write("target/classes/App.class", "class");
        write("node_modules/pkg/index.js", "js");
        Files.createSymbolicLink(context.resolve("link"), Path.of("src"));
        Files.createSymbolicLink(context.resolve("dangling"), Path.of("missing"));
        Files.createDirectories(context.resolve("empty"));

        List<String> files = DockerIgnore.of(context).includedFiles(context);

        assertThat(files)
                .containsExactly(
                        ".dockerignore",
                        "Dockerfile",
                        "dangling",
                        "docs/guide.md",
                        "link",
                        "src/main/App.java",
                        "src/main/resources/app.properties",
                        "target/app.jar");
    }

    @Test
    void doesNotReadExcludedDirectoriesThatNoExceptionCanReach() throws IOException {
        write("node_modules/pkg/deep/index.js", "js");
        write("target/app.jar", "jar");
        write("target/classes/App.class", "class");
        write("src/App.java", "class App {}");
        List<String> listed = new ArrayList<>();

        List<String> files = rules("node_modules", "target", "!target/app.jar").includedFiles(context, listed::add);

        assertThat(files).containsExactly("src/App.java", "target/app.jar");
        assertThat(listed).contains("", "src", "target").doesNotContain("node_modules", "target/classes");
    }

    @Test
    void readsExcludedDirectoriesWhenAWildcardExceptionCanReachInside() throws IOException {
        write("node_modules/pkg/keep.txt", "kept");
        write("node_modules/pkg/index.js", "js");
        List<String> listed = new ArrayList<>();

        List<String> files = rules("node_modules", "!**/keep.txt").includedFiles(context, listed::add);

        assertThat(files).containsExactly("node_modules/pkg/keep.txt");
        assertThat(listed).contains("node_modules", "node_modules/pkg");
    }

    @Test
    void unreadableDirectoryFailsOnlyWhenItsContentWouldBeSent() throws IOException {
        write("big/locked/secret.bin", "x");
        write("src/App.java", "class App {}");
        Path locked = context.resolve("big/locked");
        Files.setPosixFilePermissions(locked, PosixFilePermissions.fromString("---------"));
        try {
            // Root reads anything whatever the mode; the check below would then prove nothing.
            assumeFalse(Files.isReadable(locked), "running with permission to read a mode 000 directory");

            // Excluded and unreachable: never opened, so the missing permission does not matter.
            assertThat(rules("big").includedFiles(context)).containsExactly("src/App.java");
            // Excluded but read (a wildcard exception could match inside): BuildKit ignores the error too.
            assertThat(rules("big", "!**/*.java").includedFiles(context)).containsExactly("src/App.java");
            // Sent: the error surfaces instead of a silently incomplete fingerprint.
            assertThatThrownBy(() -> rules("nothing").includedFiles(context)).isInstanceOf(AccessDeniedException.class);
        } finally {
            Files.setPosixFilePermissions(locked, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
    }

    private void write(String relative, String content) throws IOException {
        Path file = context.resolve(relative);
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
    }
}
