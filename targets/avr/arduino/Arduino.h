/*
 * A minimal stand-in for the Arduino AVR core, enough to build an Arduino sketch with avr-g++ the
 * way the Arduino IDE does (the .ino compiled as C++ with Arduino.h included first) and run it
 * under simavr_run: Serial writes to UART0 (simavr_run copies it to stdout), micros() counts
 * Timer1 ticks. Used by the ebnn tests of generated Arduino libraries; not the real core.
 */
#ifndef ARDUINO_STUB_H
#define ARDUINO_STUB_H

#include <stdint.h>
#include <string.h>
#include <avr/io.h>
#include <avr/pgmspace.h>

unsigned long micros(void);

class StubSerial {
public:
    void begin(unsigned long baud);
    void write(char c);
    void print(const char *s);
    void print(char c);
    void print(long v);
    void print(int v) { print((long)v); }
    void print(unsigned long v);
    void print(unsigned int v) { print((unsigned long)v); }
    template <typename T> void println(T v) { print(v); print('\n'); }
    void println() { print('\n'); }
};

extern StubSerial Serial;

void setup(void);
void loop(void);

#endif
