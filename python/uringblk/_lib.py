# SPDX-License-Identifier: (GPL-2.0 OR MIT)
"""liburingblk through ctypes: finding the library, its structs, its calls.

Nothing here is public: the classes in the package wrap it.  The structs
mirror <liburingblk.h> and its uAPI headers field for field;
tests/python/test_layout.py compiles a C program that prints every
size and offset of them and compares.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
from typing import Any

__all__ = ["lib", "libc", "library"]

_u8, _u16, _u32, _u64 = ctypes.c_uint8, ctypes.c_uint16, ctypes.c_uint32, ctypes.c_uint64
_s32, _s64 = ctypes.c_int32, ctypes.c_int64

PROG_NAME_LEN = 32
KV_MAX_KEY = 16
MAX_PROGS = 64
MAX_EXEC_OUT = 1 << 20
QUERY_MAX_AGGS = 8
QUERY_MAX_RECLEN = 256     # URINGBLK_QUERY_MAX_RECLEN (test_layout.py)


class Identify(ctypes.Structure):
    """struct uringblk_identify (<linux/uringblk.h>)"""
    _fields_ = [
        ("abi_major", _u16), ("abi_minor", _u16), ("dev_index", _u32),
        ("features", _u64), ("capacity", _u64),
        ("logical_block_size", _u32), ("physical_block_size", _u32),
        ("nr_hw_queues", _u32), ("nr_poll_queues", _u32), ("queue_depth", _u32),
        ("backing", _u32), ("max_hw_sectors", _u32), ("max_discard_sectors", _u32),
        ("max_write_zeroes_sectors", _u32), ("max_reply_len", _u32),
        ("model", ctypes.c_char * 32), ("firmware_rev", ctypes.c_char * 16),
        ("max_progs", _u32), ("max_prog_insns", _u32), ("max_exec_out", _u32),
        ("prog_stack_size", _u32), ("default_insn_budget", _u64), ("max_insn_budget", _u64),
        ("zone_size", _u64), ("zone_capacity", _u64), ("nr_zones", _u32),
        ("nr_conv_zones", _u32), ("max_open_zones", _u32), ("max_active_zones", _u32),
        ("max_zone_append", _u32), ("rsvd0", _u32),
        ("slm_size", _u64), ("slm_granularity", _u32), ("max_range_sets", _u32),
        ("max_set_ranges", _u32), ("max_mem_xfer", _u32), ("max_active_progs", _u32),
        ("nr_dd_progs", _u32), ("max_globals", _u32), ("max_rw_globals", _u32),
        ("max_exec_extents", _u32), ("engines", _u32), ("rsvd", _u64 * 3),
        ("timing_link_mbps", _u32), ("timing_link_lat_ns", _u32),
        ("timing_media_read_mbps", _u32), ("timing_media_write_mbps", _u32),
        ("timing_media_read_lat_ns", _u32), ("timing_media_write_lat_ns", _u32),
        ("timing_fw_overhead_ns", _u32), ("timing_compute_units", _u32),
        ("timing_compute_factor_pct", _u32), ("timing_timer_advance_ns", _u32),
    ]


class ProgCombine(ctypes.Structure):
    """struct uringblk_prog_combine (<linux/uringblk_prog.h>)"""
    _fields_ = [("r0", _u8), ("out", _u8), ("overlap_arg", _u8), ("align_arg", _u8),
                ("out_len", _u32), ("overlap", _u32), ("rsvd", _u32)]


class ProgInfo(ctypes.Structure):
    """struct uringblk_prog_info"""
    _fields_ = [
        ("id", _u32), ("insn_cnt", _u32), ("name", ctypes.c_char * PROG_NAME_LEN),
        ("runs", _u64), ("pind", _u32), ("type", _u16), ("flags", _u16),
        ("globals_len", _u32), ("bpf_id", _u32), ("combine", ProgCombine),
    ]


class ExecResult(ctypes.Structure):
    """struct uringblk_exec_result"""
    _fields_ = [
        ("r0", _u64), ("error", _s32), ("abort_code", _u32), ("abort_pc", _u32),
        ("rsvd0", _u32), ("out_len", _u64), ("insns", _u64), ("bytes_scanned", _u64),
        ("rsvd", _u64 * 2),
    ]


class ExecArgs(ctypes.Structure):
    """struct uringblk_exec_args (<liburingblk/exec.h>)"""
    _fields_ = [("prog_id", _u32), ("flags", _u32), ("lba_start", _u64),
                ("lba_count", _u64), ("budget", _u64), ("args", _u64 * 3)]


class FileVersion(ctypes.Structure):
    """struct uringblk_file_version (<liburingblk/file.h>)"""
    _fields_ = [("dev", _u64), ("ino", _u64), ("size", _u64), ("mtime_ns", _s64),
                ("ctime_ns", _s64), ("generation", _u32), ("has_generation", _u32)]


class FileMap(ctypes.Structure):
    """struct uringblk_file_map"""
    _fields_ = [("fd", ctypes.c_int), ("ext", ctypes.c_void_p), ("nr", ctypes.c_uint),
                ("block_size", _u32), ("part_start", _u64), ("version", FileVersion),
                ("mapped_ns", _s64)]


class FileExecArgs(ctypes.Structure):
    """struct uringblk_file_exec_args"""
    _fields_ = [("size", _u32), ("flags", _u32), ("map", ctypes.POINTER(FileMap)),
                ("exec", ctypes.POINTER(ExecArgs)), ("out", ctypes.c_void_p),
                ("out_len", ctypes.c_size_t), ("msg", ctypes.c_char_p),
                ("msg_len", ctypes.c_size_t),
                # 1.12: a byte range of the file (the C names; "from" by getattr)
                ("from", _u64), ("len", _u64)]


class QueryOpts(ctypes.Structure):
    """struct uringblk_query_opts (<liburingblk/query.h>)"""
    _fields_ = [("header", ctypes.c_char_p), ("has_header", ctypes.c_int),
                ("sep", ctypes.c_char), ("reclen", _u32), ("byte_loop", ctypes.c_int)]


class QueryGroup(ctypes.Structure):
    """struct uringblk_query_group"""
    _fields_ = [("key", _s64), ("count", _u64), ("val", _s64 * QUERY_MAX_AGGS)]


class QueryResult(ctypes.Structure):
    """struct uringblk_query_result"""
    _fields_ = [("records", _u64), ("matched", _u64), ("malformed", _u64),
                ("trailing", _u64), ("ngroups", ctypes.c_uint),
                ("groups", ctypes.POINTER(QueryGroup))]


class QueryColumn(ctypes.Structure):
    """struct uringblk_query_column"""
    _fields_ = [("name", ctypes.c_void_p), ("name_len", ctypes.c_size_t),
                ("type", ctypes.c_int), ("scale", ctypes.c_int), ("kind", ctypes.c_int)]


class QueryRunArgs(ctypes.Structure):
    """struct uringblk_query_run_args"""
    _fields_ = [("size", _u32), ("flags", _u32), ("map", ctypes.POINTER(FileMap)),
                ("lba", _u64), ("count", _u64), ("limit", _u64), ("budget", _u64),
                ("xres", ctypes.POINTER(ExecResult)), ("err", ctypes.c_char_p),
                ("errlen", ctypes.c_size_t),
                # 1.12: a byte range of a mapped file (as FileExecArgs)
                ("from", _u64), ("len", _u64)]


# int (*progress)(void *ctx, __u64 done, __u64 total)
QueryProgressFn = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.c_void_p, ctypes.c_uint64,
                                   ctypes.c_uint64)


class QueryHostArgs(ctypes.Structure):
    """struct uringblk_query_host_args"""
    _fields_ = [("size", _u32), ("flags", _u32), ("data", ctypes.c_void_p),
                ("len", ctypes.c_size_t), ("err", ctypes.c_char_p),
                ("errlen", ctypes.c_size_t), ("progress", QueryProgressFn),
                ("progress_ctx", ctypes.c_void_p)]


class KvSelectStats(ctypes.Structure):
    """struct uringblk_kv_select_stats (<liburingblk/kv.h>)"""
    _fields_ = [("insns", _u64), ("bytes_scanned", _u64), ("value_len", _u64),
                ("bytes_to_host", _u64)]


class Zone(ctypes.Structure):
    """struct uringblk_zone (<linux/uringblk.h>)"""
    _fields_ = [("start", _u64), ("len", _u64), ("capacity", _u64), ("wp", _u64),
                ("type", _u8), ("cond", _u8), ("rsvd0", _u8 * 6), ("write_ops", _u64),
                ("reset_ops", _u64), ("rsvd1", _u64)]


class MemRange(ctypes.Structure):
    """struct uringblk_mem_range: a range of a memory range set"""
    _fields_ = [("slm_off", _u64), ("len", _u64)]


class CopyRange(ctypes.Structure):
    """struct uringblk_copy_range: a source range of MEM_COPY"""
    _fields_ = [("slba", _u64), ("nlb", _u32), ("flags", _u32)]


class ExecuteArgs(ctypes.Structure):
    """struct uringblk_execute_args (<liburingblk/exec.h>, 1.6 layout)"""
    _fields_ = [("pind", _u32), ("rsid", _u32), ("budget", _u64), ("cparam", _u64 * 2),
                ("arg2", _u64), ("data_len", _u64)]


class FileExecuteArgs(ctypes.Structure):
    """struct uringblk_file_execute_args (<liburingblk/file.h>)"""
    _fields_ = [("size", _u32), ("flags", _u32), ("map", ctypes.POINTER(FileMap)),
                ("slm_off", _u64), ("execute", ctypes.POINTER(ExecuteArgs)),
                ("out", ctypes.c_void_p), ("out_len", ctypes.c_size_t),
                ("msg", ctypes.c_char_p), ("msg_len", ctypes.c_size_t)]


class ProgLoadArgs(ctypes.Structure):
    """struct uringblk_prog_load_args (<liburingblk/prog.h>)"""
    _fields_ = [("size", _u32), ("flags", _u32), ("from_", _u32), ("type", _u32),
                ("pind", _u32), ("insn_cnt", _u32), ("bpf_fd", ctypes.c_int),
                ("insns", ctypes.c_void_p), ("image", ctypes.c_void_p),
                ("obj", ctypes.c_void_p), ("combine", ctypes.c_void_p),
                ("path", ctypes.c_char_p), ("prog_name", ctypes.c_char_p),
                ("name", ctypes.c_char_p), ("log", ctypes.c_char_p),
                ("log_len", ctypes.c_size_t)]


# enum uringblk_prog_from; URINGBLK_PROG_TYPE_*; URINGBLK_COPY_F_ZERO
PROG_FROM_INSNS, PROG_FROM_FILE = 1, 4
PROG_TYPE_EBPF, PROG_TYPE_KBPF = 0xC0, 0xC1
COPY_F_ZERO = 1

# Every struct above, by its C name: test_layout.py checks each.
STRUCTS = {
    "uringblk_identify": Identify, "uringblk_prog_combine": ProgCombine,
    "uringblk_prog_info": ProgInfo, "uringblk_exec_result": ExecResult,
    "uringblk_exec_args": ExecArgs, "uringblk_file_version": FileVersion,
    "uringblk_file_map": FileMap, "uringblk_file_exec_args": FileExecArgs,
    "uringblk_query_opts": QueryOpts, "uringblk_query_group": QueryGroup,
    "uringblk_query_result": QueryResult, "uringblk_query_column": QueryColumn,
    "uringblk_query_run_args": QueryRunArgs, "uringblk_kv_select_stats": KvSelectStats,
    "uringblk_query_host_args": QueryHostArgs,
    "uringblk_zone": Zone, "uringblk_mem_range": MemRange, "uringblk_copy_range": CopyRange,
    "uringblk_execute_args": ExecuteArgs, "uringblk_file_execute_args": FileExecuteArgs,
    "uringblk_prog_load_args": ProgLoadArgs,
}

# Python names of C fields that are Python keywords (test_layout.py)
C_FIELD = {"from_": "from"}

# struct uringblk_stats is only ever read field by field through the
# library (uringblk_stats_field()); this is room enough for it
# (test_layout.py checks).
STATS_BYTES = 2048

_P = ctypes.c_void_p
_I = ctypes.c_int
_S = ctypes.c_char_p
_Z = ctypes.c_size_t

# name: (restype, argtypes)
_PROTOS = {
    "uringblk_open": (_I, [_S, ctypes.POINTER(_P)]),
    "uringblk_close": (None, [_P]),
    "uringblk_index": (_I, [_P]),
    "uringblk_blk_path": (_S, [_P]),
    "uringblk_chr_path": (_S, [_P]),
    "uringblk_identify": (_I, [_P, ctypes.POINTER(Identify)]),
    "uringblk_get_stats": (_I, [_P, _P, _u32]),
    "uringblk_stats_field_name": (_S, [ctypes.c_uint]),
    "uringblk_stats_field": (_u64, [_P, ctypes.c_uint]),
    "uringblk_feature_name": (_S, [ctypes.c_uint]),
    "uringblk_strerror": (_S, [_I]),
    "uringblk_last_status": (_u16, [_P]),
    "uringblk_status_str": (_S, [_u16]),
    "uringblk_dev_strerror": (_S, [_P, _I]),
    "uringblk_prog_load_file": (_I, [_P, _S, _S, ctypes.c_char_p, _Z]),
    "uringblk_prog_load_kbpf_file": (_I, [_P, _S, _S, _S, _u32, ctypes.c_char_p, _Z]),
    "uringblk_prog_unload": (_I, [_P, _u32]),
    "uringblk_prog_list": (_I, [_P, ctypes.POINTER(ProgInfo), ctypes.c_uint]),
    "uringblk_prog_find": (_I, [_P, _S, ctypes.POINTER(ProgInfo)]),
    "uringblk_prog_activate": (_I, [_P, _u32, _I]),
    "uringblk_prog_abort_name": (_S, [_u32]),
    "uringblk_prog_load_args": (_I, [_P, ctypes.POINTER(ProgLoadArgs)]),
    "uringblk_mem_read": (_I, [_P, _u64, _P, _u32]),
    "uringblk_mem_write": (_I, [_P, _u64, _P, _u32]),
    "uringblk_mem_copy": (_I, [_P, _u64, ctypes.POINTER(CopyRange), ctypes.c_uint]),
    "uringblk_range_set_create": (_I, [_P, ctypes.POINTER(MemRange), ctypes.c_uint]),
    "uringblk_range_set_delete": (_I, [_P, _u32]),
    "uringblk_execute": (_I, [_P, ctypes.POINTER(ExecuteArgs), ctypes.POINTER(ExecResult),
                              _P, _Z]),
    "uringblk_file_execute_args": (_I, [_P, ctypes.POINTER(FileExecuteArgs),
                                        ctypes.POINTER(ExecResult)]),
    "uringblk_report_zones": (_I, [_P, _u64, ctypes.POINTER(Zone), ctypes.c_uint]),
    "uringblk_zone_mgmt": (_I, [_P, _u64, ctypes.c_uint]),
    "uringblk_zone_append": (_I, [_P, _u64, _P, _u32, ctypes.POINTER(_u64)]),
    "uringblk_zone_cond_name": (_S, [_u8]),
    "uringblk_zone_action_parse": (_I, [_S]),
    "uringblk_exec": (_I, [_P, ctypes.POINTER(ExecArgs), ctypes.POINTER(ExecResult), _P, _Z]),
    "uringblk_file_map": (_I, [_P, _S, ctypes.POINTER(FileMap), ctypes.c_char_p, _Z]),
    "uringblk_file_unmap": (None, [ctypes.POINTER(FileMap)]),
    "uringblk_file_exec_args": (_I, [_P, ctypes.POINTER(FileExecArgs), ctypes.POINTER(ExecResult)]),
    "uringblk_kv_put": (_I, [_P, _P, _Z, _P, _Z, ctypes.c_uint]),
    "uringblk_kv_get_alloc": (_I, [_P, _P, _Z, ctypes.POINTER(_P), ctypes.POINTER(_Z)]),
    "uringblk_kv_exists": (_I, [_P, _P, _Z]),
    "uringblk_kv_del": (_I, [_P, _P, _Z]),
    "uringblk_kv_list": (_I, [_P, _P, _Z, _P, _Z, ctypes.POINTER(ctypes.c_uint)]),
    "uringblk_kv_list_next": (_I, [_P, _Z, ctypes.POINTER(_Z), _P, ctypes.POINTER(_Z)]),
    "uringblk_kv_strerror": (_S, [_u16]),
    "uringblk_kv_select": (_I, [_P, _P, _Z, _P, ctypes.POINTER(QueryResult),
                                ctypes.POINTER(KvSelectStats)]),
    "uringblk_query_compile": (_I, [_S, ctypes.POINTER(QueryOpts), ctypes.POINTER(_P),
                                    ctypes.c_char_p, _Z]),
    "uringblk_query_free": (None, [_P]),
    "uringblk_query_program": (_S, [_P]),
    "uringblk_query_budget": (_u64, [_P, _u64]),
    "uringblk_query_host": (_I, [_P, _P, _Z, ctypes.POINTER(QueryResult), ctypes.c_char_p, _Z]),
    "uringblk_query_host_args": (_I, [_P, ctypes.POINTER(QueryHostArgs),
                                      ctypes.POINTER(QueryResult)]),
    "uringblk_query_run": (_I, [_P, _P, ctypes.POINTER(QueryRunArgs), ctypes.POINTER(QueryResult)]),
    "uringblk_query_result_free": (None, [ctypes.POINTER(QueryResult)]),
    "uringblk_query_columns": (_I, [_P]),
    "uringblk_query_column": (_I, [_P, ctypes.c_uint, ctypes.POINTER(QueryColumn)]),
    "uringblk_query_rows": (_I, [_P, ctypes.POINTER(QueryResult)]),
    "uringblk_query_cell": (_I, [_P, ctypes.POINTER(QueryResult), ctypes.c_uint,
                                 ctypes.c_uint, ctypes.c_char_p, _Z]),
}


def _candidates() -> list[str]:
    env = os.environ.get("URINGBLK_LIB")
    if env:
        return [env]
    here = os.path.dirname(os.path.abspath(__file__))
    # the build tree: python/uringblk/ next to out/lib/
    tree = os.path.join(here, "..", "..", "out", "lib", "liburingblk.so.1")
    found = ctypes.util.find_library("uringblk")
    return [p for p in (tree, found, "liburingblk.so.1") if p]


def _load() -> tuple[ctypes.CDLL, str]:
    errors = []
    for cand in _candidates():
        if os.sep in cand and not os.path.exists(cand):
            errors.append(f"{cand}: no such file")
            continue
        try:
            found = ctypes.CDLL(cand, use_errno=True)
        except OSError as e:
            errors.append(str(e))
            continue
        for name, (res, args) in _PROTOS.items():
            f = getattr(found, name)
            f.restype = res
            f.argtypes = args
        return found, cand
    raise ImportError("uringblk: cannot load liburingblk (build it with `make lib`, "
                      "install it with `make install`, or set URINGBLK_LIB=PATH): "
                      + "; ".join(errors))


_loaded: tuple[ctypes.CDLL, str] | None = None


def library() -> tuple[ctypes.CDLL, str]:
    """liburingblk and the path it was loaded from, loaded at the first
    call: importing the package (uringblk.plot, which uses none of it,
    included) needs no library.  ImportError if it cannot be found."""
    global _loaded
    if _loaded is None:
        _loaded = _load()
    return _loaded


class _Lazy:
    """Stands for the library's CDLL: the first attribute asked for loads it."""

    def __getattr__(self, name: str) -> Any:
        return getattr(library()[0], name)

    def __repr__(self) -> str:
        return f"<liburingblk {_loaded[1] if _loaded else '(not loaded yet)'}>"


lib: Any = _Lazy()

libc = ctypes.CDLL(None, use_errno=True)
libc.free.argtypes = [_P]
libc.free.restype = None
