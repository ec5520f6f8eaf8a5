/*
 * simavr_run: runs an AVR firmware on the cycle-exact simavr core and reports what it did.
 * Linked against libsimavr (plain `simavr` always exits 0 and colours its output).
 *
 *   simavr_run -m MCU [-f HZ] [-i INPUT_FILE] FIRMWARE.elf
 *
 * The firmware talks to this harness through three general-purpose I/O registers that exist on
 * every classic AVR at the same data addresses (atmega328p, atmega2560, ...):
 *   GPIOR0 (0x3E) write: marker. 1 = start of a measured section, 2 = end of it. The harness counts
 *                 the exact cycles between them and the stack high-water mark (lowest SP seen while
 *                 inside, relative to SP at the start marker), and prints "cycles N stack S" per section.
 *   GPIOR1 (0x4A) write: exit. The value becomes this program's exit code and the run stops.
 *   GPIOR2 (0x4B) read: next byte of INPUT_FILE (0 after its end, which also sets a flag reported on exit);
 *                 write: one byte of output, printed as a decimal number; the byte 0xFF written to
 *                 GPIOR0 (marker 3) ends the current output line.
 * The UART0 output goes to stdout unchanged (a sketch's Serial.print).
 * Exit codes: the firmware's GPIOR1 value; 100 firmware crashed or slept with interrupts off
 * without writing GPIOR1; 101 usage or load error; 102 cycle limit reached (runaway firmware).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <getopt.h>

#include <simavr/sim_avr.h>
#include <simavr/sim_elf.h>
#include <simavr/sim_core.h>
#include <simavr/sim_io.h>
#include <simavr/avr_uart.h>

#define GPIOR0 0x3E
#define GPIOR1 0x4A
#define GPIOR2 0x4B

static FILE *input;
static int input_exhausted;
static int exit_code = -1;
static int inside;
static avr_cycle_count_t start_cycle;
static uint16_t start_sp, min_sp;
static int need_space;

/* simavr's messages (e.g. "Loaded N .text") go to stderr, errors only, so stdout is the firmware's */
static void quiet_logger(avr_t *avr, const int level, const char *format, va_list ap) {
    (void)avr;
    if (level <= LOG_ERROR)
        vfprintf(stderr, format, ap);
}

static uint16_t sp_of(avr_t *avr) {
    return (uint16_t)(avr->data[R_SPL] | (avr->data[R_SPH] << 8));
}

static void marker_write(avr_t *avr, avr_io_addr_t addr, uint8_t v, void *param) {
    (void)param;
    avr->data[addr] = v;
    if (v == 1) {
        inside = 1;
        start_cycle = avr->cycle;
        start_sp = min_sp = sp_of(avr);
    } else if (v == 2 && inside) {
        inside = 0;
        printf("%scycles %llu stack %u\n", need_space ? "\n" : "", (unsigned long long)(avr->cycle - start_cycle),
               (unsigned)(start_sp - min_sp));
        need_space = 0;
    } else if (v == 3) {
        putchar('\n');
        need_space = 0;
    }
}

static void exit_write(avr_t *avr, avr_io_addr_t addr, uint8_t v, void *param) {
    (void)param;
    avr->data[addr] = v;
    exit_code = v;
}

static uint8_t data_read(avr_t *avr, avr_io_addr_t addr, void *param) {
    (void)avr; (void)addr; (void)param;
    int c = input ? fgetc(input) : EOF;
    if (c == EOF) {
        input_exhausted = 1;
        return 0;
    }
    return (uint8_t)c;
}

static void data_write(avr_t *avr, avr_io_addr_t addr, uint8_t v, void *param) {
    (void)param;
    avr->data[addr] = v;
    printf(need_space ? " %u" : "%u", v);
    need_space = 1;
}

static void uart_out(struct avr_irq_t *irq, uint32_t value, void *param) {
    (void)irq; (void)param;
    putchar((int)(value & 0xff));
}

int main(int argc, char **argv) {
    const char *mcu = NULL, *in_path = NULL;
    unsigned long freq = 16000000UL;
    unsigned long long limit = 20000000000ULL;
    int opt;
    while ((opt = getopt(argc, argv, "m:f:i:l:")) != -1) {
        switch (opt) {
        case 'm': mcu = optarg; break;
        case 'f': freq = strtoul(optarg, NULL, 10); break;
        case 'i': in_path = optarg; break;
        case 'l': limit = strtoull(optarg, NULL, 10); break;
        default: goto usage;
        }
    }
    if (!mcu || optind != argc - 1)
        goto usage;
    if (in_path && !(input = fopen(in_path, "rb"))) {
        fprintf(stderr, "simavr_run: cannot open %s\n", in_path);
        return 101;
    }
    avr_global_logger_set(quiet_logger);
    elf_firmware_t fw;
    memset(&fw, 0, sizeof fw);
    if (elf_read_firmware(argv[optind], &fw) != 0) {
        fprintf(stderr, "simavr_run: cannot read firmware %s\n", argv[optind]);
        return 101;
    }
    avr_t *avr = avr_make_mcu_by_name(mcu);
    if (!avr) {
        fprintf(stderr, "simavr_run: unknown mcu %s\n", mcu);
        return 101;
    }
    avr_init(avr);
    avr->log = 0;
    avr->frequency = freq;
    avr_load_firmware(avr, &fw);
    avr->log = 0;

    /* UART0: raw bytes to stdout, no "UART0:" line buffering of simavr's own */
    uint32_t flags = 0;
    avr_ioctl(avr, AVR_IOCTL_UART_GET_FLAGS('0'), &flags);
    flags &= ~AVR_UART_FLAG_STDIO;
    avr_ioctl(avr, AVR_IOCTL_UART_SET_FLAGS('0'), &flags);
    avr_irq_t *uart = avr_io_getirq(avr, AVR_IOCTL_UART_GETIRQ('0'), UART_IRQ_OUTPUT);
    if (uart)
        avr_irq_register_notify(uart, uart_out, NULL);

    avr_register_io_write(avr, GPIOR0, marker_write, NULL);
    avr_register_io_write(avr, GPIOR1, exit_write, NULL);
    avr_register_io_read(avr, GPIOR2, data_read, NULL);
    avr_register_io_write(avr, GPIOR2, data_write, NULL);

    /*
     * gcc moves SP by "out SPH; out SREG; out SPL" (interrupts off): between the first and the last
     * of these SP holds the new high byte with the old low byte, up to 255 B below any address the
     * code ever uses. SP is not sampled in that window (the instructions are decoded: OUT is
     * 1011 1AAr rrrr AAAA; SPL = I/O 0x3d, SPH = 0x3e).
     */
    int sp_half_written = 0;
    int state = cpu_Running;
    while (exit_code < 0 && state != cpu_Done && state != cpu_Crashed) {
        uint16_t op = (uint16_t)(avr->flash[avr->pc] | (avr->flash[avr->pc + 1] << 8));
        int out_io = (op & 0xf800) == 0xb800 ? (((op >> 5) & 0x30) | (op & 0x0f)) : -1;
        state = avr_run(avr);
        if (out_io == 0x3e)
            sp_half_written = 1;
        else if (out_io == 0x3d)
            sp_half_written = 0;
        if (inside && !sp_half_written) {
            uint16_t sp = sp_of(avr);
            if (sp < min_sp)
                min_sp = sp;
        }
        if (avr->cycle > limit) {
            fflush(stdout);
            fprintf(stderr, "simavr_run: cycle limit %llu reached\n", limit);
            return 102;
        }
    }
    fflush(stdout);
    if (input_exhausted)
        fprintf(stderr, "simavr_run: firmware read past the end of the input file\n");
    if (exit_code < 0) {
        fprintf(stderr, "simavr_run: firmware stopped (state %d) without writing an exit code\n", state);
        return 100;
    }
    return exit_code;
usage:
    fprintf(stderr, "usage: simavr_run -m MCU [-f HZ] [-i INPUT] [-l CYCLE_LIMIT] FIRMWARE.elf\n");
    return 101;
}
