/*
 * kern/fdt.h - a read-only flattened device tree (DTB) parser.
 *
 * Every access is bounds-checked against the blob's header, so a corrupt
 * tree gives errors, never a wild read.  Nodes are named by their offset in
 * the structure block (the offset of their FDT_BEGIN_NODE token); negative
 * values are errors.  Pure code: it builds on the host for the unit tests.
 */
#ifndef KERN_FDT_H
#define KERN_FDT_H

#include <kern/types.h>

#define FDT_MAGIC	0xd00dfeed

struct fdt {
	const uint8_t	*fd_blob;	/* start of the blob */
	uint32_t	fd_size;	/* totalsize from the header */
	uint32_t	fd_struct;	/* offset of the structure block */
	uint32_t	fd_struct_size;
	uint32_t	fd_strings;	/* offset of the strings block */
	uint32_t	fd_strings_size;
	uint32_t	fd_rsvmap;	/* offset of the memory reservation block */
};

/* Validate the header of the blob at p (at most maxsize bytes readable). 0 or -EINVAL. */
int fdt_init(struct fdt *fdt, const void *p, size_t maxsize);

/* Offset of the root node. */
int fdt_root(const struct fdt *fdt);

/* First child / next sibling of node, or -1 when there is none. */
int fdt_first_child(const struct fdt *fdt, int node);
int fdt_next_sibling(const struct fdt *fdt, int node);

/* Name of node including its unit address ("serial@10000000"); "" for the root. */
const char *fdt_node_name(const struct fdt *fdt, int node);

/* Find a node by absolute path ("/cpus", "/soc/plic@c000000"); -1 if absent. */
int fdt_path(const struct fdt *fdt, const char *path);

/*
 * Property lookup.  Returns a pointer to the value and sets *len, or NULL
 * when the node has no such property.
 */
const void *fdt_getprop(const struct fdt *fdt, int node, const char *name, int *len);

/* True if node's "compatible" list contains compat. */
bool fdt_is_compatible(const struct fdt *fdt, int node, const char *compat);

/* Depth-first search from the root for the next node after `from` (-1: start) with compat. */
int fdt_find_compatible(const struct fdt *fdt, int from, const char *compat);

/* Read a u32 / a cells-wide number (1 or 2 cells) from a property. 0 or -EINVAL. */
int fdt_getprop_u32(const struct fdt *fdt, int node, const char *name, uint32_t *out);
uint64_t fdt_read_cells(const void *p, int cells);

/* Memory reservation block entry i; false past the end. */
bool fdt_rsvmap_entry(const struct fdt *fdt, int i, uint64_t *base, uint64_t *size);

#endif
