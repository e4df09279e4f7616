// SPDX-License-Identifier: (GPL-2.0 OR MIT)
/*
 * A SNIA compute request as the drive's EXECUTE: the AFDM arguments become
 * the ranges of a memory range set, in argument order, so the program sees
 * them end to end as its memory window (ctx->mem); the value arguments
 * become the standard's two parameters and uringblk's third, in order
 * (ctx->args[0..2]).  Pure: the tests check it without a drive.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>

#include "cs_private.h"

/* more arguments than this is not a request anyone means */
#define CS_MAX_ARGS	256

CS_STATUS cs_marshal_compute(const CsComputeRequest *req, __u64 gran,
			     const struct cs_drive *drive, struct cs_marshal *m)
{
	const struct cs_mem *mem;
	const CsComputeArg *arg;
	int i;

	memset(m, 0, sizeof(*m));
	if (!req || req->NumArgs < 0 || req->NumArgs > CS_MAX_ARGS || !gran)
		return CS_INVALID_ARG;
	m->pind = req->FunctionId;
	if (req->NumArgs) {
		m->ranges = calloc(req->NumArgs, sizeof(*m->ranges));
		if (!m->ranges)
			return CS_OUT_OF_RESOURCES;
	}
	for (i = 0; i < req->NumArgs; i++) {
		arg = &req->Args[i];
		switch (arg->Type) {
		case CS_AFDM_TYPE:
			mem = arg->u.DevMem.MemHandle;
			if (!mem || mem->magic != CS_MEM_MAGIC)
				goto err_handle;
			if (drive && mem->drive != drive)
				goto err_memory;
			/* a range starts at a multiple of the granularity */
			if (arg->u.DevMem.ByteOffset % gran ||
			    arg->u.DevMem.ByteOffset >= mem->alloc_len)
				goto err_arg;
			m->ranges[m->nr_ranges].slm_off =
				mem->off + arg->u.DevMem.ByteOffset;
			m->ranges[m->nr_ranges].len =
				mem->alloc_len - arg->u.DevMem.ByteOffset;
			m->nr_ranges++;
			m->whole = arg->u.DevMem.ByteOffset ? NULL :
				   (struct cs_mem *)mem;
			break;
		case CS_32BIT_VALUE_TYPE:
		case CS_64BIT_VALUE_TYPE:
			if (m->nr_values == CS_MAX_VALUE_ARGS)
				goto err_arg;
			m->values[m->nr_values++] =
				arg->Type == CS_32BIT_VALUE_TYPE ?
				arg->u.Value32 : arg->u.Value64;
			break;
		case CS_STREAM_TYPE:
		case CS_DESCRIPTOR_TYPE:
			cs_marshal_free(m);
			return CS_UNSUPPORTED;
		default:
			goto err_arg;
		}
	}
	/* EXECUTE runs over a set: a program needs some memory */
	if (!m->nr_ranges)
		goto err_arg;
	if (m->nr_ranges > 1)
		m->whole = NULL;
	return CS_SUCCESS;

err_handle:
	cs_marshal_free(m);
	return CS_INVALID_HANDLE;
err_memory:
	cs_marshal_free(m);
	return CS_UNKNOWN_MEMORY;
err_arg:
	cs_marshal_free(m);
	return CS_INVALID_ARG;
}

void cs_marshal_free(struct cs_marshal *m)
{
	free(m->ranges);
	m->ranges = NULL;
	m->nr_ranges = 0;
	m->whole = NULL;
}

void csHelperSetComputeArg(CsComputeArg *ArgPtr, CS_COMPUTE_ARG_TYPE Type, ...)
{
	va_list ap;

	if (!ArgPtr)
		return;
	memset(ArgPtr, 0, sizeof(*ArgPtr));
	ArgPtr->Type = Type;
	va_start(ap, Type);
	switch (Type) {
	case CS_AFDM_TYPE:	/* (CS_MEM_HANDLE, unsigned long ByteOffset) */
		ArgPtr->u.DevMem.MemHandle = va_arg(ap, CS_MEM_HANDLE);
		ArgPtr->u.DevMem.ByteOffset = va_arg(ap, unsigned long);
		break;
	case CS_32BIT_VALUE_TYPE:	/* (u32), promoted to unsigned int */
		ArgPtr->u.Value32 = va_arg(ap, unsigned int);
		break;
	case CS_64BIT_VALUE_TYPE:	/* (u64) */
		ArgPtr->u.Value64 = va_arg(ap, __u64);
		break;
	case CS_STREAM_TYPE:
		ArgPtr->u.StreamHandle = va_arg(ap, CS_STREAM_HANDLE);
		break;
	default:
		break;
	}
	va_end(ap);
}
