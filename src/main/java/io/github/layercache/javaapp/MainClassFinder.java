package io.github.layercache.javaapp;

import io.github.layercache.core.InvalidSpecException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.objectweb.asm.AnnotationVisitor;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

/**
 * Finds the class to run among a module's class files: the one class with a
 * {@code public static void main(String[])}, or, among several, the one annotated
 * {@code @SpringBootApplication}.
 */
public final class MainClassFinder {

    private static final String SPRING_BOOT_APPLICATION =
            "Lorg/springframework/boot/autoconfigure/SpringBootApplication;";

    private MainClassFinder() {}

    /** The main class, or empty when no class has a main method. */
    public static Optional<String> find(Path classesDirectory) throws IOException, InvalidSpecException {
        if (!Files.isDirectory(classesDirectory)) {
            return Optional.empty();
        }
        List<Candidate> candidates = new ArrayList<>();
        try (Stream<Path> files = Files.walk(classesDirectory)) {
            for (Path file :
                    files.filter(f -> f.toString().endsWith(".class")).sorted().toList()) {
                try (InputStream in = Files.newInputStream(file)) {
                    Scan scan = new Scan();
                    new ClassReader(in)
                            .accept(scan, ClassReader.SKIP_CODE | ClassReader.SKIP_DEBUG | ClassReader.SKIP_FRAMES);
                    if (scan.hasMain) {
                        candidates.add(new Candidate(scan.name.replace('/', '.'), scan.springBootApplication));
                    }
                }
            }
        }
        if (candidates.size() <= 1) {
            return candidates.stream().map(Candidate::name).findFirst();
        }
        List<Candidate> annotated =
                candidates.stream().filter(Candidate::springBootApplication).toList();
        if (annotated.size() == 1) {
            return Optional.of(annotated.get(0).name());
        }
        throw new InvalidSpecException(
                "mainClass",
                "Several classes in " + classesDirectory + " have a main method ("
                        + String.join(
                                ", ", candidates.stream().map(Candidate::name).toList())
                        + "): name the one the image runs.");
    }

    private record Candidate(String name, boolean springBootApplication) {}

    private static final class Scan extends ClassVisitor {
        private String name;
        private boolean hasMain;
        private boolean springBootApplication;

        Scan() {
            super(Opcodes.ASM9);
        }

        @Override
        public void visit(
                int version, int access, String name, String signature, String superName, String[] interfaces) {
            this.name = name;
        }

        @Override
        public AnnotationVisitor visitAnnotation(String descriptor, boolean visible) {
            springBootApplication |= SPRING_BOOT_APPLICATION.equals(descriptor);
            return null;
        }

        @Override
        public MethodVisitor visitMethod(
                int access, String method, String descriptor, String signature, String[] exceptions) {
            int publicStatic = Opcodes.ACC_PUBLIC | Opcodes.ACC_STATIC;
            if ("main".equals(method)
                    && "([Ljava/lang/String;)V".equals(descriptor)
                    && (access & publicStatic) == publicStatic) {
                hasMain = true;
            }
            return null;
        }
    }
}
