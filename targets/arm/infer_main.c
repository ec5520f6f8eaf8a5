/*
 * Cortex-M test and benchmark image for generated ebnn code, run under qemu-system-arm with
 * semihosting. Build with the generated model sources and
 *   -DEBNN_INFER=ebnn_<sym>_infer -DEBNN_INPUT_SIZE=<bytes> -DEBNN_CLASSES=<k>
 * or, for a model whose output is a bit vector,
 *   -DEBNN_INFER_BITS=ebnn_<sym>_infer_bits -DEBNN_INPUT_SIZE=<bytes> -DEBNN_OUTPUT_BYTES=<bytes>
 * which prints the packed output bytes (decimal) in place of "class scores...".
 * Reads samples back to back from the host file input.bin (qemu's working directory) until it
 * ends; per sample calls ebnn_mark(), the inference, ebnn_mark() (the insn_count plugin prints the
 * instructions between two marks), then prints "class score0 ... scoreK-1" as one line.
 * The input and score arrays are the only globals here: the caller's side of the memory plan.
 * Exit code 0, or 2 when input.bin cannot be opened.
 */
#include <stdint.h>
#include "semihost.h"

uint8_t ebnn_input[EBNN_INPUT_SIZE];
#ifdef EBNN_OUTPUT_BYTES
void EBNN_INFER_BITS(const uint8_t *input, uint8_t *bits);
uint8_t ebnn_bits[EBNN_OUTPUT_BYTES];
#else
int EBNN_INFER(const uint8_t *input, int32_t *scores);
int32_t ebnn_scores[EBNN_CLASSES];
#endif

__attribute__((noinline, used)) void ebnn_mark(void)
{
    __asm__ volatile("" ::: "memory");
}

static char *put_int(char *p, int32_t v)
{
    char tmp[12];
    int i = 0;
    uint32_t u = v < 0 ? (uint32_t)0 - (uint32_t)v : (uint32_t)v;
    do { tmp[i++] = (char)('0' + u % 10u); u /= 10u; } while (u);
    if (v < 0) *p++ = '-';
    while (i) *p++ = tmp[--i];
    return p;
}

int main(void)
{
#ifdef EBNN_OUTPUT_BYTES
    char line[16 + 4 * EBNN_OUTPUT_BYTES];
#else
    char line[16 + 12 * EBNN_CLASSES];
#endif
    int fd = sh_open("input.bin", 1);
    if (fd < 0) {
        sh_write0("ebnn: cannot open input.bin\n");
        return 2;
    }
    while (sh_read(fd, ebnn_input, EBNN_INPUT_SIZE) == 0) {
        ebnn_mark();
#ifdef EBNN_OUTPUT_BYTES
        EBNN_INFER_BITS(ebnn_input, ebnn_bits);
        ebnn_mark();
        char *p = put_int(line, ebnn_bits[0]);
        for (int c = 1; c < EBNN_OUTPUT_BYTES; c++) {
            *p++ = ' ';
            p = put_int(p, ebnn_bits[c]);
        }
#else
        int cls = EBNN_INFER(ebnn_input, ebnn_scores);
        ebnn_mark();
        char *p = put_int(line, cls);
        for (int c = 0; c < EBNN_CLASSES; c++) {
            *p++ = ' ';
            p = put_int(p, ebnn_scores[c]);
        }
#endif
        *p++ = '\n';
        *p = 0;
        sh_write0(line);
    }
    sh_close(fd);
    return 0;
}
