/*
 * MsgReplyReceive (QSOE extension, <sys/neutrino.h>): the kernel call
 * takes rcvid and chid in one register and info in a6, and returns the
 * reply's result in a1 (abi/kercall.h's __kc_MsgReplyReceive7,
 * docs/kernel-calls.md).
 */
#include <errno.h>
#include <sys/neutrino.h>
#include <abi/kercall.h>

int MsgReplyReceive_r(int rcvid, long status, const void *smsg, size_t sbytes,
    int chid, void *rmsg, size_t rbytes, struct _msg_info *info, int *rerr)
{
	long rr;
	long r = __kc_MsgReplyReceive7(rcvid, status, (long)smsg, (long)sbytes, chid,
	    (long)rmsg, (long)rbytes, (long)info, &rr);

	if (rerr)
		*rerr = (int)-rr;
	return (int)r;
}

int MsgReplyReceive(int rcvid, long status, const void *smsg, size_t sbytes,
    int chid, void *rmsg, size_t rbytes, struct _msg_info *info, int *rerr)
{
	int r = MsgReplyReceive_r(rcvid, status, smsg, sbytes, chid, rmsg, rbytes, info, rerr);

	if (r < 0) {
		errno = -r;
		return -1;
	}
	return r;
}
