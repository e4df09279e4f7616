// SPDX-License-Identifier: GPL-2.0
/*
 * The timing model's parameters (timing.h): named presets, the one text
 * form the module parameter timing= and the configfs attribute "timing"
 * share, the range checks with their messages, and what IDENTIFY and
 * sysfs (/sys/block/uringblkN/uringblk/timing) show.  The model itself
 * runs in timing.c.
 *
 * The text form is a list of presets and key=value pairs separated by
 * commas or blanks, applied left to right to a model that starts off:
 *   pcie3x4,nand-gen3,arm-a53x4
 *   csd-gen3,compute_units=2
 *   link_mbps=200,link_lat_ns=20000
 * Keys are the configfs attribute names (uringblk_timing_keys[]).
 */
#include <linux/device.h>
#include <linux/kernel.h>
#include <linux/string.h>
#include <linux/sysfs.h>

#include "timing.h"
#include "uringblk.h"

/* One parameter: its key, where it lives, its range, what it means. */
struct timing_field {
	const char	*key;
	size_t		off;
	u32		min;	/* smallest non-zero value */
	u32		max;
	bool		zero_ok; /* 0 = not modelled */
	const char	*what;	/* for messages */
};

#define TF(k, mn, mx, z, w) \
	{ #k, offsetof(struct uringblk_timing_cfg, k), mn, mx, z, w }

static const struct timing_field timing_fields[] = {
	TF(link_mbps, 1, URINGBLK_TIMING_MAX_MBPS, true,
	   "host link MB/s per direction"),
	TF(link_lat_ns, 1, URINGBLK_TIMING_MAX_LAT_NS, true,
	   "host link latency, ns"),
	TF(media_read_mbps, 1, URINGBLK_TIMING_MAX_MBPS, true,
	   "media read MB/s"),
	TF(media_write_mbps, 1, URINGBLK_TIMING_MAX_MBPS, true,
	   "media write MB/s"),
	TF(media_read_lat_ns, 1, URINGBLK_TIMING_MAX_LAT_NS, true,
	   "media read latency, ns"),
	TF(media_write_lat_ns, 1, URINGBLK_TIMING_MAX_LAT_NS, true,
	   "media write latency, ns"),
	TF(fw_overhead_ns, 1, URINGBLK_TIMING_MAX_LAT_NS, true,
	   "firmware overhead per command, ns"),
	TF(compute_units, 1, URINGBLK_TIMING_MAX_CU, true,
	   "compute units, 0 = compute not modelled"),
	TF(compute_factor_pct, 1, URINGBLK_TIMING_MAX_FACTOR_PCT, false,
	   "modelled run time in % of the measured one, 100 = the host's speed"),
	TF(timer_advance_ns, 1, URINGBLK_TIMING_MAX_ADVANCE_NS, true,
	   "most a request's timer is armed before its deadline, ns; 0 = never"),
};

/* The keys, in struct order, NULL-terminated (configfs lists them). */
const char *const uringblk_timing_keys[] = {
	"link_mbps", "link_lat_ns", "media_read_mbps", "media_write_mbps",
	"media_read_lat_ns", "media_write_lat_ns", "fw_overhead_ns",
	"compute_units", "compute_factor_pct", "timer_advance_ns", NULL,
};

static_assert(ARRAY_SIZE(uringblk_timing_keys) == ARRAY_SIZE(timing_fields) + 1);
static_assert(sizeof(struct uringblk_timing_cfg) ==
	      ARRAY_SIZE(timing_fields) * sizeof(u32));

/*
 * Presets, in the text form itself.  Where a number comes from, and which
 * numbers are assumptions, is said here and in
 * Documentation/admin/timing-model.md; a preset is a starting point, each
 * value can be overridden after it (pcie3x4,link_lat_ns=500).
 */
static const struct {
	const char	*name;
	const char	*text;
} timing_presets[] = {
	/* everything off: the drive runs at the host's speed */
	{ "off", "" },
	/*
	 * PCIe 3.0 x4: 8 GT/s per lane with 128b/130b encoding (PCI Express
	 * Base Specification 3.0, PCI-SIG 2010) = 984.6 MB/s per lane and
	 * direction, x4 = 3938 MB/s.  That is the raw rate after line
	 * encoding: TLP/DLLP headers and flow control (another 10-20% with
	 * 128-256 B payloads) are not modelled; lower link_mbps to include
	 * them.  Latency: ASSUMPTION, 1 us per command, the order of the
	 * sub-microsecond to microsecond PCIe round trips reported in
	 * measurements (Neugebauer et al., "Understanding PCIe performance
	 * for end host networking", SIGCOMM 2018); no standard fixes it.
	 */
	{ "pcie3x4", "link_mbps=3938,link_lat_ns=1000" },
	/* PCIe 4.0 x4: 16 GT/s, 128b/130b: 1969 MB/s per lane, x4 = 7877 MB/s */
	{ "pcie4x4", "link_mbps=7877,link_lat_ns=1000" },
	/*
	 * NAND media of a PCIe 3.0 TLC drive: the sequential rates of the
	 * Samsung 970 EVO Plus 1 TB data sheet (read up to 3500 MB/s, write
	 * up to 3300 MB/s).  Latencies: ASSUMPTIONS, 80 us per read (a TLC
	 * page read, tR, is tens of microseconds to about 100 us) and 20 us
	 * per write (acknowledged from the drive's write cache, not the
	 * NAND program time of several hundred microseconds).
	 */
	{ "nand-gen3",
	  "media_read_mbps=3500,media_write_mbps=3300,media_read_lat_ns=80000,media_write_lat_ns=20000" },
	/*
	 * The same for a PCIe 4.0 drive: the Samsung 980 PRO 1 TB data sheet
	 * (read up to 7000 MB/s, write up to 5000 MB/s); latencies as above
	 * (ASSUMPTIONS).
	 */
	{ "nand-gen4",
	  "media_read_mbps=7000,media_write_mbps=5000,media_read_lat_ns=80000,media_write_lat_ns=20000" },
	/*
	 * In-storage compute: four ARM Cortex-A53 cores, the processor of the
	 * NGD Newport computational storage drive's controller
	 * (Torabzadehkashi et al., "Catalina: in-storage processing
	 * acceleration for scalable big data analytics", PDP 2019).  Speed:
	 * ASSUMPTION, a program runs 4x longer on a ~1.5 GHz in-order A53
	 * than on the ~3-4 GHz out-of-order x86 core it is measured on (FEMU's
	 * computational mode scales by 3 by default); measure your own
	 * program on the target core and set compute_factor_pct.  The compute
	 * alone: the half of a CSD that an SSD model (ssd=) lacks, as that
	 * model has its own firmware times.
	 */
	{ "isp-a53x4", "compute_units=4,compute_factor_pct=400" },
	/* the same with the controller's firmware: ASSUMPTION, 2 us a command */
	{ "arm-a53x4", "isp-a53x4,fw_overhead_ns=2000" },
	/* whole drives */
	{ "csd-gen3", "pcie3x4,nand-gen3,arm-a53x4" },
	{ "csd-gen4", "pcie4x4,nand-gen4,arm-a53x4" },
};

/* Presets nest at most this deep (csd-gen3 -> arm-a53x4 -> isp-a53x4). */
#define TIMING_PRESET_DEPTH	3
/* Longest text accepted: a module parameter or a configfs write. */
#define TIMING_TEXT_MAX		512

void uringblk_timing_default(struct uringblk_timing_cfg *cfg)
{
	*cfg = (struct uringblk_timing_cfg) {
		.compute_factor_pct = URINGBLK_TIMING_FACTOR_DEFAULT,
	};
}

static const struct timing_field *timing_field(const char *key)
{
	for (size_t i = 0; i < ARRAY_SIZE(timing_fields); i++)
		if (!strcmp(timing_fields[i].key, key))
			return &timing_fields[i];
	return NULL;
}

static u32 *timing_slot(struct uringblk_timing_cfg *cfg,
			const struct timing_field *f)
{
	return (u32 *)((u8 *)cfg + f->off);
}

/* Is @val allowed for @f?  If not, say why in @msg. */
static int timing_check(const struct timing_field *f, u64 val,
			struct uringblk_msg *msg)
{
	if ((val == 0 && f->zero_ok) || (val >= f->min && val <= f->max))
		return 0;
	uringblk_msg(msg, "timing: %s=%llu: must be %s%u-%u (%s)", f->key, val,
		     f->zero_ok ? "0 or " : "", f->min, f->max, f->what);
	return -EINVAL;
}

/**
 * uringblk_timing_set() - set one parameter
 * @cfg:	the model
 * @key:	its name, one of uringblk_timing_keys[]
 * @val:	its value
 * @msg:	why it was refused (also in the kernel log); may be NULL
 *
 * Return: 0, or -EINVAL (unknown key, value out of range).
 */
int uringblk_timing_set(struct uringblk_timing_cfg *cfg, const char *key,
			u64 val, struct uringblk_msg *msg)
{
	const struct timing_field *f = timing_field(key);
	int ret;

	if (!f) {
		uringblk_msg(msg, "timing: unknown parameter '%s'", key);
		return -EINVAL;
	}
	ret = timing_check(f, val, msg);
	if (!ret)
		*timing_slot(cfg, f) = val;
	return ret;
}

/* The value of @key (a name of uringblk_timing_keys[]), 0 if unknown. */
u32 uringblk_timing_get(const struct uringblk_timing_cfg *cfg, const char *key)
{
	const struct timing_field *f = timing_field(key);

	return f ? *timing_slot((struct uringblk_timing_cfg *)cfg, f) : 0;
}

static int timing_apply(const char *text, struct uringblk_timing_cfg *cfg,
			struct uringblk_msg *msg, int depth);

/* A preset by name: its settings, applied over @cfg ("off": the default). */
static int timing_preset(const char *name, struct uringblk_timing_cfg *cfg,
			 struct uringblk_msg *msg, int depth)
{
	char names[192];
	size_t n = 0;

	for (size_t i = 0; i < ARRAY_SIZE(timing_presets); i++) {
		if (strcmp(timing_presets[i].name, name))
			continue;
		if (!strcmp(name, "off")) {
			uringblk_timing_default(cfg);
			return 0;
		}
		return timing_apply(timing_presets[i].text, cfg, msg, depth + 1);
	}
	for (size_t i = 0; i < ARRAY_SIZE(timing_presets) && n < sizeof(names); i++)
		n += scnprintf(names + n, sizeof(names) - n, "%s%s", i ? ", " : "",
			       timing_presets[i].name);
	uringblk_msg(msg, "timing: '%s' is neither a preset (%s) nor key=value (keys: the configfs attributes link_mbps, link_lat_ns, media_read_mbps, media_write_mbps, media_read_lat_ns, media_write_lat_ns, fw_overhead_ns, compute_units, compute_factor_pct, timer_advance_ns)",
		     name, names);
	return -EINVAL;
}

static int timing_apply(const char *text, struct uringblk_timing_cfg *cfg,
			struct uringblk_msg *msg, int depth)
{
	char buf[TIMING_TEXT_MAX], *p = buf, *tok;
	int ret;

	if (depth > TIMING_PRESET_DEPTH)
		return -ELOOP;	/* only a broken preset table gets here */
	if (strscpy(buf, text, sizeof(buf)) < 0) {
		uringblk_msg(msg, "timing: longer than %d bytes", TIMING_TEXT_MAX - 1);
		return -EINVAL;
	}
	while ((tok = strsep(&p, ", \t\n")) != NULL) {
		char *eq = strchr(tok, '=');
		u64 val;

		if (!*tok)
			continue;
		if (!eq) {
			ret = timing_preset(tok, cfg, msg, depth);
			if (ret)
				return ret;
			continue;
		}
		*eq = '\0';
		if (kstrtou64(eq + 1, 0, &val)) {
			uringblk_msg(msg, "timing: %s=%s: not a number", tok, eq + 1);
			return -EINVAL;
		}
		ret = uringblk_timing_set(cfg, tok, val, msg);
		if (ret)
			return ret;
	}
	return 0;
}

/**
 * uringblk_timing_parse() - a model from its text form
 * @text:	presets and key=value pairs (see the top of this file)
 * @cfg:	receives the model, applied over the default (off); left
 *		alone on failure
 * @msg:	why it was refused (also in the kernel log); may be NULL
 *
 * Return: 0 or -EINVAL.
 */
int uringblk_timing_parse(const char *text, struct uringblk_timing_cfg *cfg,
			  struct uringblk_msg *msg)
{
	struct uringblk_timing_cfg c;
	int ret;

	uringblk_timing_default(&c);
	ret = timing_apply(text, &c, msg, 0);
	if (ret)
		return ret;
	*cfg = c;
	return 0;
}

/**
 * uringblk_timing_validate() - check a whole model before a drive uses it
 * @cfg:	the model
 * @msg:	why it was refused; may be NULL
 *
 * The stores check each value as it comes; this is the power-on check of
 * the configuration as a whole.  Return: 0 or -EINVAL.
 */
int uringblk_timing_validate(const struct uringblk_timing_cfg *cfg,
			     struct uringblk_msg *msg)
{
	for (size_t i = 0; i < ARRAY_SIZE(timing_fields); i++) {
		const struct timing_field *f = &timing_fields[i];
		int ret = timing_check(f, *timing_slot((struct uringblk_timing_cfg *)cfg, f),
				       msg);

		if (ret)
			return ret;
	}
	return 0;
}

/* Is anything modelled?  (compute_factor_pct, timer_advance_ns alone: nothing.) */
bool uringblk_timing_cfg_on(const struct uringblk_timing_cfg *cfg)
{
	return cfg->link_mbps || cfg->link_lat_ns || cfg->media_read_mbps ||
	       cfg->media_write_mbps || cfg->media_read_lat_ns ||
	       cfg->media_write_lat_ns || cfg->fw_overhead_ns ||
	       cfg->compute_units;
}

/**
 * uringblk_timing_show() - the model in its text form
 * @cfg:	the model
 * @buf:	receives "off" or the key=value pairs of every parameter set
 *		(compute_factor_pct only with compute_units), comma-separated,
 *		and a newline: text uringblk_timing_parse() takes back
 * @len:	its size
 *
 * Return: the length written.
 */
int uringblk_timing_show(const struct uringblk_timing_cfg *cfg, char *buf,
			 size_t len)
{
	int n = 0;

	if (!uringblk_timing_cfg_on(cfg))
		return scnprintf(buf, len, "off\n");
	for (size_t i = 0; i < ARRAY_SIZE(timing_fields); i++) {
		const struct timing_field *f = &timing_fields[i];
		u32 v = *timing_slot((struct uringblk_timing_cfg *)cfg, f);

		if (!v || (f->off == offsetof(struct uringblk_timing_cfg,
					      compute_factor_pct) &&
			   !cfg->compute_units))
			continue;
		n += scnprintf(buf + n, len - n, "%s%s=%u", n ? "," : "", f->key, v);
	}
	n += scnprintf(buf + n, len - n, "\n");
	return n;
}

/* IDENTIFY: the model's parameters, all zero while it is off; its SSD model. */
void uringblk_timing_identify(struct uringblk_dev *dev,
			      struct uringblk_identify *id)
{
	const struct uringblk_timing_cfg *c = &dev->cfg.timing;

	if (ssd_cfg_on(&dev->cfg.ssd))
		id->features |= URINGBLK_F_SSD;		/* GET_STATS ssd_* */
	if (!uringblk_timing_cfg_on(c))
		return;
	id->features |= URINGBLK_F_TIMING;
	id->timing_link_mbps = c->link_mbps;
	id->timing_link_lat_ns = c->link_lat_ns;
	id->timing_media_read_mbps = c->media_read_mbps;
	id->timing_media_write_mbps = c->media_write_mbps;
	id->timing_media_read_lat_ns = c->media_read_lat_ns;
	id->timing_media_write_lat_ns = c->media_write_lat_ns;
	id->timing_fw_overhead_ns = c->fw_overhead_ns;
	id->timing_compute_units = c->compute_units;
	id->timing_compute_factor_pct = c->compute_units ? c->compute_factor_pct : 0;
	id->timing_timer_advance_ns = c->timer_advance_ns;
}

/* sysfs uringblk/timing: the drive's model, as configfs "timing" shows it. */
static ssize_t timing_show(struct device *d, struct device_attribute *attr,
			   char *buf)
{
	struct uringblk_dev *dev = dev_to_disk(d)->private_data;

	return uringblk_timing_show(&dev->cfg.timing, buf, PAGE_SIZE);
}

struct device_attribute uringblk_timing_attr = __ATTR_RO(timing);
