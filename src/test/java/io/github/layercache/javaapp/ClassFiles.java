package io.github.layercache.javaapp;

import java.nio.file.Files;
import java.nio.file.Path;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

/** Writes real class files for the tests: a class, optionally with a main method and an annotation. */
final class ClassFiles {

    private ClassFiles() {}

    static Path write(Path classes, String className, boolean withMain, String annotation, String constant)
            throws Exception {
        ClassWriter writer = new ClassWriter(0);
        String internal = className.replace('.', '/');
        writer.visit(Opcodes.V17, Opcodes.ACC_PUBLIC, internal, null, "java/lang/Object", null);
        if (annotation != null) {
            writer.visitAnnotation(annotation, true).visitEnd();
        }
        if (constant != null) {
            writer.visitField(
                            Opcodes.ACC_PUBLIC | Opcodes.ACC_STATIC | Opcodes.ACC_FINAL,
                            "TEXT",
                            "Ljava/lang/String;",
                            null,
                            constant)
                    .visitEnd();
        }
        if (withMain) {
            MethodVisitor main = writer.visitMethod(
                    Opcodes.ACC_PUBLIC | Opcodes.ACC_STATIC, "main", "([Ljava/lang/String;)V", null, null);
            main.visitCode();
            main.visitInsn(Opcodes.RETURN);
            main.visitMaxs(0, 1);
            main.visitEnd();
        }
        writer.visitEnd();
        Path file = classes.resolve(internal + ".class");
        Files.createDirectories(file.getParent());
        return Files.write(file, writer.toByteArray());
    }
}
