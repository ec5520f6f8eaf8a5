/*
 * Host test/benchmark main for generated ebnn C code. Build with the generated model sources and
 *   -DEBNN_INFER=ebnn_<sym>_infer -DEBNN_INPUT_SIZE=<bytes> -DEBNN_CLASSES=<k>
 * Reads samples of EBNN_INPUT_SIZE bytes back to back from stdin until EOF and prints one line per
 * sample: the class, then the int32 scores. Every inference reuses the same input and score arrays,
 * so stale state from a previous sample would show up as a wrong answer.
 */
#include <stdint.h>
#include <stdio.h>

int EBNN_INFER(const uint8_t *input, int32_t *scores);

static uint8_t input[EBNN_INPUT_SIZE];
static int32_t scores[EBNN_CLASSES];

int main(void) {
    for (;;) {
        size_t got = fread(input, 1, sizeof input, stdin);
        if (got == 0)
            break;
        if (got != sizeof input) {
            fprintf(stderr, "short sample: %lu of %lu bytes\n", (unsigned long)got, (unsigned long)sizeof input);
            return 2;
        }
        int cls = EBNN_INFER(input, scores);
        printf("%d", cls);
        for (int c = 0; c < EBNN_CLASSES; c++)
            printf(" %ld", (long)scores[c]);
        putchar('\n');
    }
    return ferror(stdout) ? 3 : 0;
}
