/*
 * taskman/skimmer/pathmsg.c - the path manager: _PATH_ATTACH/_DETACH
 * from resource managers, and _IO_CONNECT resolution (handle 0), which
 * answers with a link reply naming the servers to try (sys/iomsg.h).
 */
#include "tm.h"

/* Is the string of n bytes at s NUL-terminated exactly at its end? */
static int
exact_string(const char *s, size_t n)
{
	return n > 0 && strnlen(s, n) == n - 1;
}

void
msg_path_attach(struct tm_msg *m)
{
	const struct _path_attach *a = m->m_buf;
	long rc;

	if (m->m_len < sizeof(*a) || a->subtype != 0 || a->pa_zero != 0 ||
	    m->m_len != sizeof(*a) + a->pa_path_len || !exact_string(a->pa_path, a->pa_path_len) ||
	    a->pa_chid <= 0 || a->pa_handle == 0 || a->pa_file_type < _FTYPE_ANY ||
	    a->pa_file_type > _FTYPE_NAME) {
		tm_error(m->m_rcvid, EINVAL);
		return;
	}
	rc = pathtab_attach(&tm.t_paths, a->pa_path, m->m_info.pid, a->pa_chid, a->pa_handle,
	    a->pa_flags, a->pa_file_type);
	if (rc < 0)
		tm_error(m->m_rcvid, (int)-rc);
	else
		tm_reply(m->m_rcvid, rc, NULL, 0);
}

void
msg_path_detach(struct tm_msg *m)
{
	const struct _path_detach *d = m->m_buf;
	long rc;

	if (m->m_len != sizeof(*d) || d->subtype != 0) {
		tm_error(m->m_rcvid, EINVAL);
		return;
	}
	rc = pathtab_detach(&tm.t_paths, d->pd_id, m->m_info.pid);
	if (rc < 0)
		tm_error(m->m_rcvid, (int)-rc);
	else
		tm_reply(m->m_rcvid, 0, NULL, 0);
}

/* Check an _IO_CONNECT header and its path; 0 or -EINVAL. */
static int
connect_check(const struct tm_msg *m, const struct _io_connect *c)
{
	size_t need;

	if (m->m_len < sizeof(*c) || c->subtype > _IO_CONNECT_MOUNT || c->zero != 0 ||
	    c->key != 0 || c->access != 0 ||
	    c->path_len == 0 || c->path_len > _IO_CONNECT_PATH_MAX || c->file_type > _FTYPE_NAME)
		return -EINVAL;
	need = c->extra_len ? _IO_CONNECT_EXTRA_OFF(c->path_len) + c->extra_len :
	    sizeof(*c) + c->path_len;
	if (m->m_len < need || !exact_string(c->path, c->path_len))
		return -EINVAL;
	return 0;
}

/* Path manager: the servers that may hold the path, as a link reply. */
static void
resolve(struct tm_msg *m, const struct _io_connect *c)
{
	struct pt_match match[_IO_CONNECT_ENTRIES_MAX];
	struct {
		struct _io_connect_link_reply	lr;
		struct _io_connect_entry	e[_IO_CONNECT_ENTRIES_MAX];
	} r;
	int max = _IO_CONNECT_ENTRIES_MAX, n;

	if (c->entry_max < max)
		max = c->entry_max;
	if (((int)c->reply_max - (int)sizeof(r.lr)) / (int)sizeof(r.e[0]) < max)
		max = ((int)c->reply_max - (int)sizeof(r.lr)) / (int)sizeof(r.e[0]);
	if (max <= 0 || c->path[0] != '/') {
		tm_error(m->m_rcvid, EINVAL);	/* no room for an answer, or a relative path */
		return;
	}
	n = pathtab_resolve(&tm.t_paths, c->path, (int)c->file_type, match, max);
	if (n <= 0) {
		tm_error(m->m_rcvid, n < 0 ? -n : ENOENT);
		return;
	}
	memset(&r, 0, sizeof(r));
	r.lr.eflag = c->eflag;
	r.lr.nentries = (uint16_t)n;
	for (int i = 0; i < n; i++) {
		const struct pt_attach *a = match[i].pm_attach;

		r.e[i] = (struct _io_connect_entry){ .nd = ND_LOCAL_NODE, .pid = a->pa_pid,
		    .chid = a->pa_chid, .handle = a->pa_handle, .file_type = a->pa_ftype,
		    .prefix_len = match[i].pm_consumed };
	}
	tm_reply(m->m_rcvid, _IO_CONNECT_RET_LINK, &r, sizeof(r.lr) + (size_t)n * sizeof(r.e[0]));
}

void
msg_connect(struct tm_msg *m)
{
	const struct _io_connect *c = m->m_buf;

	if (connect_check(m, c) < 0)
		tm_error(m->m_rcvid, EINVAL);
	else if (c->handle == 0)
		resolve(m, c);
	else if (c->handle == TM_BOOTFS_HANDLE)
		bootfs_connect(m, c);
	else if (c->handle == TM_SHMEM_HANDLE)
		shmfs_connect(m, c);
	else
		tm_error(m->m_rcvid, ENOENT);
}

int
path_exists(const char *path)
{
	struct pt_match match[_IO_CONNECT_ENTRIES_MAX];
	int n = pathtab_resolve(&tm.t_paths, path, _FTYPE_ANY, match, _IO_CONNECT_ENTRIES_MAX);

	for (int i = 0; i < n; i++) {
		const struct pt_attach *a = match[i].pm_attach;
		const char *rest = path + match[i].pm_consumed;

		rest += strspn(rest, "/");
		if (*rest == '\0')
			return 1;	/* a server attached exactly this path */
		if (a->pa_pid == SYSMGR_PID && a->pa_handle == TM_BOOTFS_HANDLE)
			return imagefs_lookup(&tm.t_fs, path) != NULL;
	}
	return 0;
}
