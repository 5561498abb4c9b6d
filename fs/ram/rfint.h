/*
 * rfint.h - what the RAM file system's own files share (ramfs.c, rfname.c,
 * rfdata.c) and its users do not call.  Same rules as ramfs.h: errors
 * are positive errno values, one thread owns everything.
 */
#ifndef RFINT_H
#define RFINT_H

#include "ramfs.h"

/* A new inode of mode for cr (under dir, for a setgid directory's group); NULL, *err. */
struct rf_inode *rf_inode_new(struct ramfs *fs, const struct _client_info *cr, mode_t mode,
    struct rf_inode *dir, int *err);

/* ino lost a name or an open: it is freed once it has neither. */
void rf_inode_put(struct ramfs *fs, struct rf_inode *ino);

/* The slot of name (n bytes) in dir, or -1. */
int rf_dir_find(const struct rf_inode *dir, const char *name, size_t n);

/* Add name (n bytes) -> ino to dir (link counts are the caller's); 0 or ENOMEM. */
int rf_dir_add(struct rf_inode *dir, const char *name, size_t n, struct rf_inode *ino);

/* Free dir's slot; its mtime and ctime become now. */
void rf_dir_remove(struct rf_inode *dir, int slot);
void rf_dir_touch(struct rf_inode *dir);

/* May cr remove ino's name from dir as far as the sticky bit goes? */
int rf_sticky_ok(const struct rf_inode *dir, const struct rf_inode *ino,
    const struct _client_info *cr);

/* Free all of a file's blocks (rfdata.c). */
void rf_data_free(struct ramfs *fs, struct rf_inode *ino);

#endif
