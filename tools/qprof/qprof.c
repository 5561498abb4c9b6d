/*
 * qprof: a QEMU TCG plugin that counts, for every guest instruction
 * address, how many times it executed inside one marked window.  A
 * program marks a window with the RISC-V hints `slti x0, x0, 1` (open)
 * and `slti x0, x0, 2` (close); these are no-ops on hardware and on
 * QEMU.  The plugin's argument window=K picks the K-th window (1-based);
 * out=FILE names the output: one "address count" line per address that
 * ran, and a "# windows" line.  tools/qprof/report maps the addresses to
 * symbols.
 *
 * QEMU's plugin header is not in Debian's binary packages, so the few
 * declarations used here are written out; they are the plugin API of
 * QEMU 7.2 (plugin API version 1).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef uint64_t qemu_plugin_id_t;
struct qemu_plugin_tb;
struct qemu_plugin_insn;
typedef struct qemu_info_t qemu_info_t;
enum qemu_plugin_cb_flags { QEMU_PLUGIN_CB_NO_REGS, QEMU_PLUGIN_CB_R_REGS, QEMU_PLUGIN_CB_RW_REGS };
typedef void (*qemu_plugin_vcpu_tb_trans_cb_t)(qemu_plugin_id_t, struct qemu_plugin_tb *);
typedef void (*qemu_plugin_vcpu_udata_cb_t)(unsigned int, void *);
typedef void (*qemu_plugin_udata_cb_t)(qemu_plugin_id_t, void *);

void qemu_plugin_register_vcpu_tb_trans_cb(qemu_plugin_id_t, qemu_plugin_vcpu_tb_trans_cb_t);
size_t qemu_plugin_tb_n_insns(const struct qemu_plugin_tb *);
struct qemu_plugin_insn *qemu_plugin_tb_get_insn(const struct qemu_plugin_tb *, size_t);
uint64_t qemu_plugin_insn_vaddr(const struct qemu_plugin_insn *);
const void *qemu_plugin_insn_data(const struct qemu_plugin_insn *);
size_t qemu_plugin_insn_size(const struct qemu_plugin_insn *);
void qemu_plugin_register_vcpu_insn_exec_cb(struct qemu_plugin_insn *, qemu_plugin_vcpu_udata_cb_t,
    enum qemu_plugin_cb_flags, void *);
void qemu_plugin_register_atexit_cb(qemu_plugin_id_t, qemu_plugin_udata_cb_t, void *);

__attribute__((visibility("default"))) int qemu_plugin_version = 1;

#define HINT_OPEN	((1u << 20) | 0x2013u)	/* slti x0, x0, 1 */
#define HINT_CLOSE	((2u << 20) | 0x2013u)	/* slti x0, x0, 2 */
#define NSLOT		(1u << 20)

struct slot {
	uint64_t	addr;
	uint64_t	count;
};

static struct slot *slots;
static unsigned long want = 1, windows;
static int on;
static const char *outname = "qprof.out";

static struct slot *
slot_for(uint64_t addr)
{
	uint64_t h = (addr >> 1) * 0x9e3779b97f4a7c15ull;

	for (uint32_t i = (uint32_t)(h >> 44);; i = (i + 1) & (NSLOT - 1)) {
		if (slots[i].addr == addr)
			return &slots[i];
		if (slots[i].addr == 0) {
			slots[i].addr = addr;
			return &slots[i];
		}
	}
}

static void
count(unsigned int vcpu, void *p)
{
	(void)vcpu;
	if (on)
		((struct slot *)p)->count++;
}

static void
mark_open(unsigned int vcpu, void *p)
{
	(void)vcpu;
	(void)p;
	if (++windows == want)
		on = 1;
}

static void
mark_close(unsigned int vcpu, void *p)
{
	(void)vcpu;
	(void)p;
	on = 0;
}

static void
tb_trans(qemu_plugin_id_t id, struct qemu_plugin_tb *tb)
{
	size_t n = qemu_plugin_tb_n_insns(tb);

	(void)id;
	for (size_t i = 0; i < n; i++) {
		struct qemu_plugin_insn *insn = qemu_plugin_tb_get_insn(tb, i);
		uint32_t word = 0;

		if (qemu_plugin_insn_size(insn) == 4)
			memcpy(&word, qemu_plugin_insn_data(insn), 4);
		if (word == HINT_OPEN)
			qemu_plugin_register_vcpu_insn_exec_cb(insn, mark_open,
			    QEMU_PLUGIN_CB_NO_REGS, NULL);
		else if (word == HINT_CLOSE)
			qemu_plugin_register_vcpu_insn_exec_cb(insn, mark_close,
			    QEMU_PLUGIN_CB_NO_REGS, NULL);
		qemu_plugin_register_vcpu_insn_exec_cb(insn, count, QEMU_PLUGIN_CB_NO_REGS,
		    slot_for(qemu_plugin_insn_vaddr(insn)));
	}
}

static void
at_exit(qemu_plugin_id_t id, void *p)
{
	FILE *f = fopen(outname, "w");

	(void)id;
	(void)p;
	if (f == NULL) {
		perror(outname);
		return;
	}
	fprintf(f, "# windows %lu want %lu\n", windows, want);
	for (uint32_t i = 0; i < NSLOT; i++)
		if (slots[i].count != 0)
			fprintf(f, "%llx %llu\n", (unsigned long long)slots[i].addr,
			    (unsigned long long)slots[i].count);
	fclose(f);
}

__attribute__((visibility("default"))) int
qemu_plugin_install(qemu_plugin_id_t id, const qemu_info_t *info, int argc, char **argv)
{
	(void)info;
	for (int i = 0; i < argc; i++) {
		if (strncmp(argv[i], "window=", 7) == 0)
			want = strtoul(argv[i] + 7, NULL, 0);
		else if (strncmp(argv[i], "out=", 4) == 0)
			outname = argv[i] + 4;
		else {
			fprintf(stderr, "qprof: unknown argument %s\n", argv[i]);
			return -1;
		}
	}
	slots = calloc(NSLOT, sizeof(*slots));
	if (slots == NULL)
		return -1;
	qemu_plugin_register_vcpu_tb_trans_cb(id, tb_trans);
	qemu_plugin_register_atexit_cb(id, at_exit, NULL);
	return 0;
}
