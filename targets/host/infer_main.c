/*
 * Host test/benchmark main for generated ebnn C code. Build with the generated model sources and
 *   -DEBNN_INFER=ebnn_<sym>_infer -DEBNN_INPUT_SIZE=<bytes> -DEBNN_CLASSES=<k>
 * or, for a model whose output is a bit vector,
 *   -DEBNN_INFER_BITS=ebnn_<sym>_infer_bits -DEBNN_INPUT_SIZE=<bytes> -DEBNN_OUTPUT_BYTES=<bytes>
 * Reads samples of EBNN_INPUT_SIZE bytes back to back from stdin until EOF and prints one line per
 * sample: the class, then the int32 scores (or: the packed output bytes, in decimal). Every
 * inference reuses the same input and output arrays, so stale state from a previous sample would
 * show up as a wrong answer.
 */
#include <stdint.h>
#include <stdio.h>

static uint8_t input[EBNN_INPUT_SIZE];
#ifdef EBNN_OUTPUT_BYTES
void EBNN_INFER_BITS(const uint8_t *input, uint8_t *bits);
static uint8_t bits[EBNN_OUTPUT_BYTES];
#else
int EBNN_INFER(const uint8_t *input, int32_t *scores);
static int32_t scores[EBNN_CLASSES];
#endif

int main(void) {
    for (;;) {
        size_t got = fread(input, 1, sizeof input, stdin);
        if (got == 0)
            break;
        if (got != sizeof input) {
            fprintf(stderr, "short sample: %lu of %lu bytes\n", (unsigned long)got, (unsigned long)sizeof input);
            return 2;
        }
#ifdef EBNN_OUTPUT_BYTES
        EBNN_INFER_BITS(input, bits);
        for (int c = 0; c < EBNN_OUTPUT_BYTES; c++)
            printf(c ? " %u" : "%u", (unsigned)bits[c]);
#else
        int cls = EBNN_INFER(input, scores);
        printf("%d", cls);
        for (int c = 0; c < EBNN_CLASSES; c++)
            printf(" %ld", (long)scores[c]);
#endif
        putchar('\n');
    }
    return ferror(stdout) ? 3 : 0;
}
