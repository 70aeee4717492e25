/** Manifests (and indexes) describe an image; everything else a registry moves is a blob. */
export function artifactKind(mediaType: string | undefined): 'manifest' | 'blob' | undefined {
  if (!mediaType) return undefined;
  return /manifest|image\.index|artifact/.test(mediaType) && !/layer|config/.test(mediaType)
    ? 'manifest'
    : 'blob';
}

/** "10.0.0.7:54321", "[2001:db8::1]:443" or a bare address, to the address alone. */
export function addressWithoutPort(address: string | undefined): string | undefined {
  if (!address) return undefined;
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(address);
  if (bracketed) return bracketed[1];
  const parts = address.split(':');
  return parts.length === 2 ? parts[0] : address;
}
