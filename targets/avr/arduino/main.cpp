/* Stand-in for the Arduino core's main(): setup(), one loop(), then exit code 0 to simavr_run. */
#include "Arduino.h"
#include <avr/interrupt.h>
#include <avr/sleep.h>

StubSerial Serial;

void StubSerial::begin(unsigned long baud) {
    uint16_t ubrr = (uint16_t)(F_CPU / 8 / baud - 1);
    UCSR0A = _BV(U2X0);
    UBRR0H = (uint8_t)(ubrr >> 8);
    UBRR0L = (uint8_t)ubrr;
    UCSR0B = _BV(TXEN0);
    /* Timer1 free-running at F_CPU/64 for micros() */
    TCCR1A = 0;
    TCCR1B = _BV(CS11) | _BV(CS10);
    TCNT1 = 0;
}

void StubSerial::write(char c) {
    while (!(UCSR0A & _BV(UDRE0))) {
    }
    UDR0 = (uint8_t)c;
}

void StubSerial::print(const char *s) {
    while (*s)
        write(*s++);
}

void StubSerial::print(char c) {
    write(c);
}

void StubSerial::print(unsigned long v) {
    char buf[11];
    int i = 0;
    do {
        buf[i++] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    while (i)
        write(buf[--i]);
}

void StubSerial::print(long v) {
    if (v < 0) {
        write('-');
        print((unsigned long)(-(v + 1)) + 1UL);
    } else {
        print((unsigned long)v);
    }
}

unsigned long micros(void) {
    /* 16-bit Timer1 at F_CPU/64: 4 us per tick at 16 MHz, wraps after 262 ms (enough for a stand-in) */
    return (unsigned long)TCNT1 * (64000000UL / F_CPU);
}

int main(void) {
    setup();
    loop();
    while (!(UCSR0A & _BV(TXC0)) && (UCSR0B & _BV(TXEN0))) {
    }
    GPIOR1 = 0;
    cli();
    sleep_cpu();
    for (;;) {
    }
}
