package ebnn.codegen.c;

import java.util.Locale;

import ebnn.api.binary.BinaryModel;
import ebnn.codegen.c.gen.ModelSource;
import ebnn.codegen.c.gen.Names;

/**
 * Build files of the plain C folder: a Makefile and a CMakeLists.txt building a static library, and
 * an example main that classifies the embedded sample ({@code make example && ./example}).
 */
final class BuildFiles {
    private BuildFiles() {
    }

    static String makefile(ModelSource src) {
        String lib = "lib" + src.prefix() + ".a";
        return "# Builds " + lib + " from the generated ebnn model (C99, no malloc, no float).\n"
                + "# Cross-compile e.g. with: make CC=avr-gcc AR=avr-ar CFLAGS='-mmcu=atmega328p -Os'\n"
                + "CC ?= cc\nAR ?= ar\n"
                + "CFLAGS ?= -O2\n"
                + "# kept apart from CFLAGS so that a CFLAGS given on the command line does not drop them\n"
                + "EBNN_CFLAGS = -std=c99 -Wall -Wextra -pedantic\n\n"
                + "all: " + lib + "\n\n"
                + lib + ": " + src.prefix() + ".o\n\t$(AR) rcs $@ $^\n\n"
                + src.prefix() + ".o: " + src.sourceName() + " " + src.headerName() + " " + CBackend.RUNTIME_HEADER + "\n"
                + "\t$(CC) $(EBNN_CFLAGS) $(CFLAGS) -c -o $@ " + src.sourceName() + "\n\n"
                + "# the example classifies the sample embedded in example.c and prints its class: make example && ./example\n"
                + "example: " + EXAMPLE + " " + lib + "\n\t$(CC) $(EBNN_CFLAGS) $(CFLAGS) -o $@ " + EXAMPLE + " " + lib + "\n\n"
                + "clean:\n\trm -f " + src.prefix() + ".o " + lib + " example\n\n.PHONY: all clean\n";
    }

    static String cmake(ModelSource src) {
        return "# The generated ebnn model as a static library: add_subdirectory() this folder and link " + src.prefix() + ".\n"
                + "cmake_minimum_required(VERSION 3.10)\n"
                + "project(" + src.prefix() + " C)\n"
                + "add_library(" + src.prefix() + " STATIC " + src.sourceName() + ")\n"
                + "set_target_properties(" + src.prefix() + " PROPERTIES C_STANDARD 99 C_STANDARD_REQUIRED ON)\n"
                + "target_include_directories(" + src.prefix() + " PUBLIC ${CMAKE_CURRENT_SOURCE_DIR})\n";
    }

    static final String EXAMPLE = "example.c";

    /**
     * A host main that classifies the embedded sample and prints "class N" and the scores, as the Arduino sketch does over Serial;
     * for a bit-output model it prints "bits " and the output bits as 0/1, the first output first.
     */
    static String example(BinaryModel model, ModelSource src, byte[] sample, String origin) {
        String up = src.prefix().toUpperCase(Locale.ROOT);
        StringBuilder sb = new StringBuilder();
        sb.append("/*\n * Runs one embedded sample through the ebnn model '").append(Names.comment(model.name()))
                .append(src.bitOutput() ? "'\n * and prints its output bits. Build and run: make example && ./example\n */\n"
                        : "'\n * and prints its class and integer scores. Build and run: make example && ./example\n */\n");
        sb.append("#include <stdio.h>\n#include \"").append(src.headerName()).append("\"\n\n");
        sb.append("/* ").append(Names.comment(origin)).append(": ").append(model.inputSize()).append(" bytes, HWC order */\n");
        sb.append(samples("static const uint8_t sample[" + up + "_INPUT_SIZE] = {", sample));
        if (src.bitOutput()) {
            sb.append("int main(void) {\n");
            sb.append("    uint8_t bits[").append(up).append("_OUTPUT_BYTES];\n");
            sb.append("    int i;\n");
            sb.append("    ").append(src.inferBitsName()).append("(sample, bits);\n");
            sb.append("    /* the output bits as 0/1, the first output first */\n");
            sb.append("    printf(\"bits \");\n");
            sb.append("    for (i = 0; i < ").append(up).append("_OUTPUT_BITS; i++)\n");
            sb.append("        putchar('0' + ((bits[i / 8] >> (i % 8)) & 1));\n");
            sb.append("    putchar('\\n');\n");
            sb.append("    return 0;\n}\n");
            return sb.toString();
        }
        sb.append("int main(void) {\n");
        sb.append("    int32_t scores[").append(up).append("_CLASSES];\n");
        sb.append("    int cls = ").append(src.prefix()).append("_infer(sample, scores);\n");
        sb.append("    int c;\n");
        sb.append("    printf(\"class %d\\n\", cls);\n");
        sb.append("    for (c = 0; c < ").append(up).append("_CLASSES; c++)\n");
        sb.append("        printf(\"score %d %ld\\n\", c, (long)scores[c]);\n");
        sb.append("    return 0;\n}\n");
        return sb.toString();
    }

    /** A C array initialiser of the sample's bytes, 28 to a line. */
    static String samples(String declaration, byte[] sample) {
        StringBuilder sb = new StringBuilder(declaration);
        for (int i = 0; i < sample.length; i++) {
            sb.append(i % 28 == 0 ? "\n    " : " ").append(sample[i] & 0xff);
            if (i < sample.length - 1)
                sb.append(',');
        }
        return sb.append("\n};\n\n").toString();
    }
}
