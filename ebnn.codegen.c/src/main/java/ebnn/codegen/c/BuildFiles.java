package ebnn.codegen.c;

import ebnn.codegen.c.gen.ModelSource;
/** Build files of the plain C folder: a Makefile and a CMakeLists.txt building a static library. */
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
                + "clean:\n\trm -f " + src.prefix() + ".o " + lib + "\n\n.PHONY: all clean\n";
    }

    static String cmake(ModelSource src) {
        return "# The generated ebnn model as a static library: add_subdirectory() this folder and link " + src.prefix() + ".\n"
                + "cmake_minimum_required(VERSION 3.10)\n"
                + "project(" + src.prefix() + " C)\n"
                + "add_library(" + src.prefix() + " STATIC " + src.sourceName() + ")\n"
                + "set_target_properties(" + src.prefix() + " PROPERTIES C_STANDARD 99 C_STANDARD_REQUIRED ON)\n"
                + "target_include_directories(" + src.prefix() + " PUBLIC ${CMAKE_CURRENT_SOURCE_DIR})\n";
    }
}
