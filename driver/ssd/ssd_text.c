// SPDX-License-Identifier: GPL-2.0
/*
 * The SSD model's text form (ssd.h): what the module parameter ssd= and
 * the configfs attribute "ssd" take and show.  A list of presets and
 * key=value pairs separated by commas or blanks, applied left to right to
 * a model that starts off:
 *   970pro
 *   pm9a3,op_bp=2800,gc_paced=0
 *   off
 * Keys are struct ssd_cfg's fields but blocks_per_plane and
 * capacity_lpages, which a drive takes from its capacity (ssd_cfg_fit()),
 * and zone_lpages, from its zone size.
 * Values are checked by ssd_cfg_check() once the capacity is known; here
 * only that they are numbers that fit.
 */
#include "ssd.h"

static const struct {
	const char	*key;
	size_t		off;
} ssd_keys[] = {
#define K(f)	{ #f, offsetof(struct ssd_cfg, f) }
	K(mode), K(channels), K(dies_per_channel), K(planes_per_die),
	K(pages_per_block), K(page_size), K(t_read_ns), K(t_prog_ns),
	K(t_erase_ns), K(channel_mbps), K(link_mbps), K(fw_read_ns),
	K(fw_write_ns), K(op_bp), K(wb_bytes), K(gc_low_lines),
	K(gc_high_lines), K(gc_paced), K(pe_cycles), K(ctrl_cores), K(fw_gc_ns),
#undef K
};

/* Decimal, at most U32_MAX; -EINVAL for anything else. */
static int ssd_parse_u32(const char *s, size_t n, u32 *v)
{
	u64 x = 0;
	size_t i;

	if (!n)
		return -EINVAL;
	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -EINVAL;
		x = x * 10 + (u64)(s[i] - '0');
		if (x > U32_MAX)
			return -EINVAL;
	}
	*v = (u32)x;
	return 0;
}

static bool ssd_sep(char c)
{
	return c == ',' || c == ' ' || c == '\t' || c == '\n';
}

/* one token, @tok of @n bytes: a preset, "off", or key=value */
static int ssd_parse_token(const char *tok, size_t n, struct ssd_cfg *cfg,
			   char *msg, size_t len)
{
	const char *eq = memchr(tok, '=', n);
	unsigned int i;
	u32 v;

	if (!eq) {
		const struct ssd_preset *p;

		for (i = 0; (p = ssd_preset_at(i)); i++) {
			if (strlen(p->name) == n && !memcmp(p->name, tok, n)) {
				*cfg = p->cfg;
				return 0;
			}
		}
		if (n == 3 && !memcmp(tok, "off", 3)) {
			memset(cfg, 0, sizeof(*cfg));
			return 0;
		}
		snprintf(msg, len, "ssd: unknown preset \"%.*s\" (presets: 970pro, pm9a3, zn540, optane; or off)",
			 (int)(n > 32 ? 32 : n), tok);
		return -EINVAL;
	}
	for (i = 0; i < ARRAY_SIZE(ssd_keys); i++) {
		size_t kn = strlen(ssd_keys[i].key);

		if (kn != (size_t)(eq - tok) || memcmp(ssd_keys[i].key, tok, kn))
			continue;
		if (ssd_parse_u32(eq + 1, n - kn - 1, &v)) {
			snprintf(msg, len, "ssd: %s: \"%.*s\" is not a number from 0 to 4294967295",
				 ssd_keys[i].key, (int)(n - kn - 1 > 32 ? 32 : n - kn - 1),
				 eq + 1);
			return -EINVAL;
		}
		if (!v && ssd_keys[i].off == offsetof(struct ssd_cfg, channels)) {
			snprintf(msg, len, "ssd: channels=0: a drive needs channels (\"off\" turns the model off)");
			return -EINVAL;
		}
		*(u32 *)((u8 *)cfg + ssd_keys[i].off) = v;
		return 0;
	}
	if (eq - tok == 16 && !memcmp(tok, "blocks_per_plane", 16))
		snprintf(msg, len, "ssd: blocks_per_plane is set from the drive's capacity (the fewest blocks that hold it)");
	else
		snprintf(msg, len, "ssd: unknown key \"%.*s\"",
			 (int)(eq - tok > 32 ? 32 : eq - tok), tok);
	return -EINVAL;
}

/**
 * ssd_cfg_parse() - the text form to a configuration
 * @text: presets, "off" and key=value pairs, NUL-terminated
 * @cfg: set only if the whole text parses; channels 0 means off
 * @msg: where the reason goes
 * @len: size of @msg
 *
 * Context: any.
 * Return: 0, or -EINVAL with @msg.
 */
int ssd_cfg_parse(const char *text, struct ssd_cfg *cfg, char *msg, size_t len)
{
	struct ssd_cfg c;
	const char *p = text;
	int ret;

	memset(&c, 0, sizeof(c));
	if (len)
		msg[0] = '\0';
	while (*p) {
		size_t n = 0;

		while (*p && ssd_sep(*p))
			p++;
		while (p[n] && !ssd_sep(p[n]))
			n++;
		if (!n)
			break;
		ret = ssd_parse_token(p, n, &c, msg, len);
		if (ret)
			return ret;
		p += n;
	}
	c.blocks_per_plane = 0;
	c.capacity_lpages = 0;
	c.zone_lpages = 0;
	*cfg = c;
	return 0;
}

/**
 * ssd_cfg_show() - a configuration in the text form ssd_cfg_parse() takes
 * @cfg: the configuration
 * @buf: where it goes, one line
 * @len: size of @buf
 *
 * "off", or every key=value, in struct order.
 *
 * Context: any.
 * Return: the length written (as snprintf(), without the NUL).
 */
int ssd_cfg_show(const struct ssd_cfg *cfg, char *buf, size_t len)
{
	unsigned int i;
	int n = 0;

	if (!ssd_cfg_on(cfg))
		return snprintf(buf, len, "off\n");
	for (i = 0; i < ARRAY_SIZE(ssd_keys); i++) {
		u32 v = *(const u32 *)((const u8 *)cfg + ssd_keys[i].off);

		n += snprintf(buf + n, (size_t)n < len ? len - n : 0, "%s%s=%u",
			      i ? "," : "", ssd_keys[i].key, v);
	}
	n += snprintf(buf + n, (size_t)n < len ? len - n : 0, "\n");
	return n;
}
