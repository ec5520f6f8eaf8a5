/* qemu TCG plugin: exact count of guest instructions executed, and of those between calls of a
 * marker function. qemu has no cycle model; instruction counts are exact and repeatable.
 * Debian's qemu ships no plugin header, so the few API entries used are declared here
 * (QEMU plugin API version 1, qemu 7.x).
 * Usage: qemu-system-arm ... -plugin ./insn_count.so,mark=0xADDR -d plugin
 *   prints "insn_count mark N" at every entry of the function at ADDR (N = instructions since the
 *   previous mark; two back-to-back marks read 2: the bl and the bx lr) and "insn_count total N" at exit. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef uint64_t qemu_plugin_id_t;
typedef struct qemu_info_t qemu_info_t;
struct qemu_plugin_tb;
enum qemu_plugin_cb_flags { QEMU_PLUGIN_CB_NO_REGS, QEMU_PLUGIN_CB_R_REGS, QEMU_PLUGIN_CB_RW_REGS };
enum qemu_plugin_op { QEMU_PLUGIN_INLINE_ADD_U64 };
typedef void (*qemu_plugin_vcpu_tb_trans_cb_t)(qemu_plugin_id_t id, struct qemu_plugin_tb *tb);
typedef void (*qemu_plugin_vcpu_udata_cb_t)(unsigned int vcpu_index, void *userdata);
typedef void (*qemu_plugin_udata_cb_t)(qemu_plugin_id_t id, void *userdata);

void qemu_plugin_register_vcpu_tb_trans_cb(qemu_plugin_id_t id, qemu_plugin_vcpu_tb_trans_cb_t cb);
size_t qemu_plugin_tb_n_insns(const struct qemu_plugin_tb *tb);
uint64_t qemu_plugin_tb_vaddr(const struct qemu_plugin_tb *tb);
void qemu_plugin_register_vcpu_tb_exec_inline(struct qemu_plugin_tb *tb, enum qemu_plugin_op op, void *ptr, uint64_t imm);
void qemu_plugin_register_vcpu_tb_exec_cb(struct qemu_plugin_tb *tb, qemu_plugin_vcpu_udata_cb_t cb,
                                          enum qemu_plugin_cb_flags flags, void *userdata);
void qemu_plugin_register_atexit_cb(qemu_plugin_id_t id, qemu_plugin_udata_cb_t cb, void *userdata);
void qemu_plugin_outs(const char *string);

__attribute__((visibility("default"))) int qemu_plugin_version = 1;

static uint64_t executed;      /* instructions executed so far (single vCPU) */
static uint64_t at_last_mark;
static uint64_t mark_addr = UINT64_MAX;

static void on_mark(unsigned int vcpu, void *udata)
{
    char line[64];
    (void)vcpu; (void)udata;
    snprintf(line, sizeof line, "insn_count mark %" PRIu64 "\n", executed - at_last_mark);
    qemu_plugin_outs(line);
    at_last_mark = executed;
}

static void on_translate(qemu_plugin_id_t id, struct qemu_plugin_tb *tb)
{
    (void)id;
    /* The marker callback runs before the block's own count is added, so a mark sees exactly the
     * instructions executed before the marker function was entered. */
    if (qemu_plugin_tb_vaddr(tb) == mark_addr)
        qemu_plugin_register_vcpu_tb_exec_cb(tb, on_mark, QEMU_PLUGIN_CB_NO_REGS, NULL);
    qemu_plugin_register_vcpu_tb_exec_inline(tb, QEMU_PLUGIN_INLINE_ADD_U64, &executed, qemu_plugin_tb_n_insns(tb));
}

static void on_guest_exit(qemu_plugin_id_t id, void *udata)
{
    char line[64];
    (void)id; (void)udata;
    snprintf(line, sizeof line, "insn_count total %" PRIu64 "\n", executed);
    qemu_plugin_outs(line);
}

__attribute__((visibility("default")))
int qemu_plugin_install(qemu_plugin_id_t id, const qemu_info_t *info, int argc, char **argv)
{
    (void)info;
    for (int i = 0; i < argc; i++)
        if (strncmp(argv[i], "mark=", 5) == 0)
            mark_addr = strtoull(argv[i] + 5, NULL, 0) & ~(uint64_t)1; /* drop the Thumb bit */
    qemu_plugin_register_vcpu_tb_trans_cb(id, on_translate);
    qemu_plugin_register_atexit_cb(id, on_guest_exit, NULL);
    return 0;
}
