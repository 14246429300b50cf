/* object-id.c: which memory object a mapping belongs to, and that object's id (model layer) */
#include "config.h"

#include "object-id.h"

gboolean mem_object_is_private_anon(guint32 dev_major, guint32 dev_minor, guint64 inode)
{
	return inode == 0 && dev_major == 0 && dev_minor == 0;
}

gsize mem_object_id(char buf[MEM_OBJECT_ID_LEN], guint32 dev_major, guint32 dev_minor, guint64 inode,
                    guint32 pid, guint64 start)
{
	int n;

	if (mem_object_is_private_anon(dev_major, dev_minor, inode))
		n = g_snprintf(buf, MEM_OBJECT_ID_LEN, "a:%u:%" G_GINT64_MODIFIER "x", pid, start);
	else
		n = g_snprintf(buf, MEM_OBJECT_ID_LEN, "f:%02x:%02x:%" G_GUINT64_FORMAT, dev_major, dev_minor, inode);
	return n < 0 ? 0 : MIN((gsize)n, (gsize)MEM_OBJECT_ID_LEN - 1);
}
