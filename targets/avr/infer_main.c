/*
 * AVR firmware main for tests and benchmarks of generated ebnn C code, run by simavr_run.
 * Build with the generated model sources and
 *   -DEBNN_INFER=ebnn_<sym>_infer -DEBNN_INPUT_SIZE=<bytes> -DEBNN_CLASSES=<k>
 * Protocol (see simavr_run.c): reads a 16-bit sample count (little endian) and then the samples
 * from GPIOR2; per sample it marks the inference with GPIOR0 = 1 / 2 (cycles and stack), then
 * writes the class and the int32 scores (4 bytes each, little endian) to GPIOR2 and ends the line
 * with GPIOR0 = 3. Exit code 0 via GPIOR1. For a model whose output is a bit vector, built with
 *   -DEBNN_INFER_BITS=ebnn_<sym>_infer_bits -DEBNN_INPUT_SIZE=<bytes> -DEBNN_OUTPUT_BYTES=<bytes>
 * instead, it writes the EBNN_OUTPUT_BYTES packed output bytes in place of the class and scores.
 * The input and output arrays are the only globals here: the caller's side of the memory plan.
 */
#include <stdint.h>
#include <avr/io.h>
#include <avr/interrupt.h>
#include <avr/sleep.h>

uint8_t ebnn_input[EBNN_INPUT_SIZE];
#ifdef EBNN_OUTPUT_BYTES
void EBNN_INFER_BITS(const uint8_t *input, uint8_t *bits);
uint8_t ebnn_bits[EBNN_OUTPUT_BYTES];
#else
int EBNN_INFER(const uint8_t *input, int32_t *scores);
int32_t ebnn_scores[EBNN_CLASSES];
#endif

int main(void) {
    uint16_t n = GPIOR2;
    n |= (uint16_t)GPIOR2 << 8;
    for (uint16_t s = 0; s < n; s++) {
        for (uint16_t i = 0; i < EBNN_INPUT_SIZE; i++)
            ebnn_input[i] = GPIOR2;
        GPIOR0 = 1;
#ifdef EBNN_OUTPUT_BYTES
        EBNN_INFER_BITS(ebnn_input, ebnn_bits);
        GPIOR0 = 2;
        for (uint16_t c = 0; c < EBNN_OUTPUT_BYTES; c++)
            GPIOR2 = ebnn_bits[c];
#else
        int cls = EBNN_INFER(ebnn_input, ebnn_scores);
        GPIOR0 = 2;
        GPIOR2 = (uint8_t)cls;
        for (uint8_t c = 0; c < EBNN_CLASSES; c++) {
            uint32_t v = (uint32_t)ebnn_scores[c];
            GPIOR2 = (uint8_t)v;
            GPIOR2 = (uint8_t)(v >> 8);
            GPIOR2 = (uint8_t)(v >> 16);
            GPIOR2 = (uint8_t)(v >> 24);
        }
#endif
        GPIOR0 = 3;
    }
    GPIOR1 = 0;
    cli();
    sleep_cpu();
    for (;;) {
    }
}
