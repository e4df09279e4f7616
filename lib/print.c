// SPDX-License-Identifier: (GPL-2.0 OR MIT)
/*
 * Human-readable and JSON renderings of the driver's replies.  They live in
 * the library so that the CLI, the benchmarks and the tests print the same
 * thing from the same field tables.
 */
#include <errno.h>
#include <inttypes.h>

#include "private.h"

/* Indexed by bit number of identify.features. */
static const char *const feature_names[] = {
	"flush",
	"fua",
	"discard",
	"write_zeroes",
	"poll",
	"stats_reset",
	"zoned",
	"compute",
	"latency",
	"slm",
	"extents",
	"timing",
	"kbpf",
	"records",
	"vec_i8",
	"status",
	"bio",
	"rec_filter",
	"ssd",
};

_Static_assert(URINGBLK_F_SLM == 1ULL << 9 && URINGBLK_F_EXTENTS == 1ULL << 10 &&
	       URINGBLK_F_TIMING == 1ULL << 11 && URINGBLK_F_KBPF == 1ULL << 12 &&
	       URINGBLK_F_RECORDS == 1ULL << 13 &&
	       URINGBLK_F_VEC_I8 == 1ULL << 14 &&
	       URINGBLK_F_STATUS == 1ULL << 15 &&
	       URINGBLK_F_BIO == 1ULL << 16 &&
	       URINGBLK_F_REC_FILTER == 1ULL << 17 &&
	       URINGBLK_F_SSD == 1ULL << (ARRAY_SIZE(feature_names) - 1),
	       "feature_names[] does not match URINGBLK_F_*");

/* Indexed by bit number of identify.engines. */
static const char *const engine_names[] = {
	"interp",
	"native",
	"kbpf",
};

_Static_assert(URINGBLK_ENGINE_KBPF == 1U << (ARRAY_SIZE(engine_names) - 1),
	       "engine_names[] does not match URINGBLK_ENGINE_*");

static const char *const backing_names[] = {
	[URINGBLK_BACKING_MEM]	= "mem",
	[URINGBLK_BACKING_FILE]	= "file",
};

const char *uringblk_feature_name(unsigned int bit)
{
	return bit < ARRAY_SIZE(feature_names) ? feature_names[bit] : NULL;
}

static const char *backing_name(__u32 backing)
{
	if (backing < ARRAY_SIZE(backing_names) && backing_names[backing])
		return backing_names[backing];
	return "unknown";
}

/* "512 B", "1.5 KiB", "16.0 GiB": binary units, one decimal. */
static const char *human_size(char *buf, size_t len, __u64 bytes)
{
	static const char *const units[] = { "KiB", "MiB", "GiB", "TiB",
					     "PiB", "EiB" };
	double v = (double)bytes;
	unsigned int u = 0;

	if (bytes < 1024) {
		snprintf(buf, len, "%" PRIu64 " B", (uint64_t)bytes);
		return buf;
	}
	for (v /= 1024; v >= 1024 && u + 1 < ARRAY_SIZE(units); u++)
		v /= 1024;
	snprintf(buf, len, "%.1f %s", v, units[u]);
	return buf;
}

/*
 * Anything outside printable ASCII is escaped, so a corrupt field still
 * yields valid JSON.  The CLI's --json output uses it too.
 */
void uringblk_fprint_json_string(FILE *f, const char *s, size_t max)
{
	size_t i, n = strnlen(s, max);

	fputc('"', f);
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == '"' || c == '\\')
			fprintf(f, "\\%c", c);
		else if (c < 0x20 || c >= 0x7f)
			fprintf(f, "\\u%04x", c);
		else
			fputc(c, f);
	}
	fputc('"', f);
}

/* The same field for text output: stop at NUL, '?' for non-printables. */
static void text_string(FILE *f, const char *s, size_t max)
{
	size_t i, n = strnlen(s, max);

	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		fputc(c >= 0x20 && c < 0x7f ? c : '?', f);
	}
}

/* Feature names separated by @sep, unknown bits as "bitN". */
static void print_features(FILE *f, __u64 features, const char *sep,
			   const char *quote)
{
	const char *s = "";
	unsigned int bit;

	for (bit = 0; bit < 64; bit++) {
		const char *name = uringblk_feature_name(bit);

		if (!(features & (1ULL << bit)))
			continue;
		if (name)
			fprintf(f, "%s%s%s%s", s, quote, name, quote);
		else
			fprintf(f, "%s%sbit%u%s", s, quote, bit, quote);
		s = sep;
	}
}

/* Engine names separated by @sep, unknown bits as "bitN". */
static void print_engines(FILE *f, __u32 engines, const char *sep,
			  const char *quote)
{
	const char *s = "";
	unsigned int bit;

	for (bit = 0; bit < 32; bit++) {
		if (!(engines & (1U << bit)))
			continue;
		if (bit < ARRAY_SIZE(engine_names))
			fprintf(f, "%s%s%s%s", s, quote, engine_names[bit], quote);
		else
			fprintf(f, "%s%sbit%u%s", s, quote, bit, quote);
		s = sep;
	}
}

static int finish(FILE *f)
{
	return ferror(f) ? -EIO : 0;
}

static void identify_json(FILE *f, const struct uringblk_identify *id)
{
#define U(field)	fprintf(f, "  \"" #field "\": %" PRIu64 ",\n", \
				(uint64_t)id->field)
	fputs("{\n", f);
	U(abi_major);
	U(abi_minor);
	U(dev_index);
	U(features);
	fputs("  \"feature_names\": [", f);
	print_features(f, id->features, ", ", "\"");
	fputs("],\n", f);
	U(capacity);
	U(logical_block_size);
	U(physical_block_size);
	U(nr_hw_queues);
	U(nr_poll_queues);
	U(queue_depth);
	U(backing);
	fprintf(f, "  \"backing_name\": \"%s\",\n", backing_name(id->backing));
	U(max_hw_sectors);
	U(max_discard_sectors);
	U(max_write_zeroes_sectors);
	U(max_reply_len);
	U(max_progs);
	U(max_prog_insns);
	U(max_exec_out);
	U(prog_stack_size);
	U(default_insn_budget);
	U(max_insn_budget);
	U(zone_size);
	U(zone_capacity);
	U(nr_zones);
	U(nr_conv_zones);
	U(max_open_zones);
	U(max_active_zones);
	U(max_zone_append);
	U(slm_size);
	U(slm_granularity);
	U(max_range_sets);
	U(max_set_ranges);
	U(max_mem_xfer);
	U(max_exec_extents);
	U(engines);
	fputs("  \"engine_names\": [", f);
	print_engines(f, id->engines, ", ", "\"");
	fputs("],\n", f);
	U(timing_link_mbps);
	U(timing_link_lat_ns);
	U(timing_media_read_mbps);
	U(timing_media_write_mbps);
	U(timing_media_read_lat_ns);
	U(timing_media_write_lat_ns);
	U(timing_fw_overhead_ns);
	U(timing_compute_units);
	U(timing_compute_factor_pct);
	U(timing_timer_advance_ns);
	fputs("  \"model\": ", f);
	uringblk_fprint_json_string(f, id->model, sizeof(id->model));
	fputs(",\n  \"firmware_rev\": ", f);
	uringblk_fprint_json_string(f, id->firmware_rev, sizeof(id->firmware_rev));
	fputs("\n}\n", f);
#undef U
}

/* "2560 sectors (1.2 MiB)", or "none" for a zero limit. */
static void print_sectors(FILE *f, const char *label, __u32 sectors)
{
	char h[32];

	fprintf(f, "%-18s", label);
	if (!sectors)
		fputs("none\n", f);
	else
		fprintf(f, "%u sectors (%s)\n", sectors,
			human_size(h, sizeof(h), (__u64)sectors << 9));
}

static void identify_text(FILE *f, const struct uringblk_identify *id)
{
	char h[32];

	fputs("model             ", f);
	text_string(f, id->model, sizeof(id->model));
	fputs("\nfirmware          ", f);
	text_string(f, id->firmware_rev, sizeof(id->firmware_rev));
	fprintf(f, "\nabi               %u.%u\n", id->abi_major, id->abi_minor);
	fprintf(f, "index             %u\n", id->dev_index);
	fprintf(f, "capacity          %" PRIu64 " bytes (%s), %" PRIu64
		" sectors\n", (uint64_t)id->capacity,
		human_size(h, sizeof(h), id->capacity),
		(uint64_t)(id->capacity >> 9));
	fprintf(f, "block size        %u logical, %u physical\n",
		id->logical_block_size, id->physical_block_size);
	if (id->features & URINGBLK_F_BIO)	/* no blk-mq queues or tags */
		fputs("queues            none (bio-based)\n", f);
	else
		fprintf(f, "queues            %u (%u poll), depth %u\n",
			id->nr_hw_queues, id->nr_poll_queues, id->queue_depth);
	fprintf(f, "backing           %s\n", backing_name(id->backing));
	fputs("features          ", f);
	if (id->features)
		print_features(f, id->features, " ", "");
	else
		fputs("none", f);
	fprintf(f, " (0x%" PRIx64 ")\n", (uint64_t)id->features);
	print_sectors(f, "max transfer", id->max_hw_sectors);
	print_sectors(f, "max discard", id->max_discard_sectors);
	print_sectors(f, "max write zeroes", id->max_write_zeroes_sectors);
	fprintf(f, "max reply         %u bytes\n", id->max_reply_len);
	/* the zone fields are all zero without the feature */
	if (id->features & URINGBLK_F_ZONED) {
		char h2[32];

		fprintf(f, "zones             %u x %s (capacity %s), %u conventional\n",
			id->nr_zones, human_size(h, sizeof(h), id->zone_size),
			human_size(h2, sizeof(h2), id->zone_capacity),
			id->nr_conv_zones);
		fprintf(f, "zone limits       open %u, active %u (0 = no limit), "
			"append %u bytes (%s)\n", id->max_open_zones,
			id->max_active_zones, id->max_zone_append,
			human_size(h, sizeof(h), id->max_zone_append));
	}
	/* the SLM fields are all zero without the feature */
	if (id->features & URINGBLK_F_SLM) {
		fprintf(f, "slm               %" PRIu64 " bytes (%s), granularity %u\n",
			(uint64_t)id->slm_size, human_size(h, sizeof(h), id->slm_size),
			id->slm_granularity);
		fprintf(f, "slm limits        %u range sets x %u ranges, %u bytes (%s) "
			"per transfer\n", id->max_range_sets, id->max_set_ranges,
			id->max_mem_xfer, human_size(h, sizeof(h), id->max_mem_xfer));
	}
	/* the timing model's fields are all zero without the feature */
	if (id->features & URINGBLK_F_TIMING) {
		fprintf(f, "timing link       %u MB/s per direction, %u ns per command\n",
			id->timing_link_mbps, id->timing_link_lat_ns);
		fprintf(f, "timing media      read %u MB/s + %u ns, write %u MB/s + %u ns\n",
			id->timing_media_read_mbps, id->timing_media_read_lat_ns,
			id->timing_media_write_mbps, id->timing_media_write_lat_ns);
		fprintf(f, "timing compute    %u units at %u%% of the measured time, "
			"firmware %u ns per command (0 = not modelled)\n",
			id->timing_compute_units, id->timing_compute_factor_pct,
			id->timing_fw_overhead_ns);
		if (id->timing_timer_advance_ns)
			fprintf(f, "timing timers     armed up to %u ns before the deadline\n",
				id->timing_timer_advance_ns);
	}
	/* the program limits are all zero without the feature */
	if (!(id->features & URINGBLK_F_COMPUTE))
		return;
	fprintf(f, "programs          %u, up to %u insns, %u B stack per frame\n",
		id->max_progs, id->max_prog_insns, id->prog_stack_size);
	fprintf(f, "exec output       %u bytes (%s)\n", id->max_exec_out,
		human_size(h, sizeof(h), id->max_exec_out));
	/* zero before ABI 1.4 */
	if (id->features & URINGBLK_F_EXTENTS)
		fprintf(f, "exec extents      %u per EXEC\n", id->max_exec_extents);
	fprintf(f, "insn budget       %" PRIu64 " default, %" PRIu64 " max\n",
		(uint64_t)id->default_insn_budget,
		(uint64_t)id->max_insn_budget);
	/* ABI 1.6: zero from older drivers, which have the interpreter only */
	if (id->engines) {
		fputs("engines           ", f);
		print_engines(f, id->engines, " ", "");
		fputc('\n', f);
	}
}

int uringblk_fprint_identify(FILE *f, const struct uringblk_identify *id,
			     unsigned int flags)
{
	if (!f || !id || (flags & ~URINGBLK_PRINT_JSON))
		return -EINVAL;
	if (flags & URINGBLK_PRINT_JSON)
		identify_json(f, id);
	else
		identify_text(f, id);
	return finish(f);
}

/* Counters (and gauges) whose name ends in "_bytes" or is "bytes_to_host"
 * are sizes. */
static int is_byte_counter(const char *name)
{
	size_t n = strlen(name);

	return !strcmp(name, "bytes_to_host") ||
	       (n > 6 && !strcmp(name + n - 6, "_bytes"));
}

int uringblk_fprint_stats(FILE *f, const struct uringblk_stats *stats,
			  unsigned int flags)
{
	const char *name;
	unsigned int i;
	int width = 0;
	char h[32];

	if (!f || !stats || (flags & ~URINGBLK_PRINT_JSON))
		return -EINVAL;

	if (flags & URINGBLK_PRINT_JSON) {
		fputs("{", f);
		for (i = 0; (name = uringblk_stats_field_name(i)); i++)
			fprintf(f, "%s\n  \"%s\": %" PRIu64, i ? "," : "", name,
				(uint64_t)uringblk_stats_field(stats, i));
		fputs("\n}\n", f);
		return finish(f);
	}

	for (i = 0; (name = uringblk_stats_field_name(i)); i++)
		if ((int)strlen(name) > width)
			width = (int)strlen(name);
	for (i = 0; (name = uringblk_stats_field_name(i)); i++) {
		__u64 v = uringblk_stats_field(stats, i);

		fprintf(f, "%-*s  %20" PRIu64, width, name, (uint64_t)v);
		if (is_byte_counter(name) && v >= 1024)
			fprintf(f, "  (%s)", human_size(h, sizeof(h), v));
		fputc('\n', f);
	}
	return finish(f);
}
