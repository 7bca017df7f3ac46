import type { RefObject } from 'react';

/**
 * The hidden file input behind an import button (the registry's, the ruleset library's): the
 * button clicks it through `inputRef`, and the file chosen is handed to `onFile`.
 */
export function HiddenFileInput({
  inputRef,
  accept,
  label,
  testId,
  onFile,
}: {
  inputRef: RefObject<HTMLInputElement | null>;
  accept: string;
  label: string;
  testId: string;
  onFile: (file: File) => void;
}) {
  return (
    <input
      ref={inputRef}
      type="file"
      accept={accept}
      hidden
      aria-label={label}
      data-testid={testId}
      onChange={(e) => {
        const file = e.target.files?.[0];
        // Cleared so choosing the same file again (after fixing it) fires again.
        e.target.value = '';
        if (file) onFile(file);
      }}
    />
  );
}
