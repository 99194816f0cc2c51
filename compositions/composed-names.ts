import { createHash } from 'node:crypto';

/** A short stable hash, safe in Kubernetes names. */
export function shortHash(text: string, length = 5): string {
  return createHash('sha256').update(text).digest('hex').slice(0, length);
}

function dnsLabel(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^-+|-+$/g, '');
}

/**
 * The composed resource's name: `<xr>-<template>`, stable across restarts and re-renders, so nothing is
 * ever created twice; hashed when that would exceed 63 characters.
 */
export function composedName(compositeName: string, templateName: string): string {
  const plain = `${compositeName}-${dnsLabel(templateName)}`;
  if (plain.length <= 63) return plain;
  return `${compositeName.slice(0, 52).replace(/-+$/, '')}-${shortHash(`${compositeName}/${templateName}`, 10)}`;
}

/** The composite made for a claim: `<claim>-<hash of namespace/name>`, unique across namespaces. */
export function compositeNameForClaim(namespace: string, name: string): string {
  return `${name.slice(0, 56).replace(/-+$/, '')}-${shortHash(`${namespace}/${name}`)}`;
}
