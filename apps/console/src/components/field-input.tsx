/** A labelled text input bound to a form object by name; hints say what the API expects. */
export function FieldInput<F extends { [K in keyof F]: string }>({
  form,
  name,
  label,
  hint,
  onInput,
}: {
  form: F;
  name: keyof F & string;
  label: string;
  hint?: string;
  onInput: (name: keyof F & string, value: string) => void;
}) {
  const id = `field-${name}`;
  return (
    <div class="field">
      <label for={id}>{label}</label>
      <input
        id={id}
        name={name}
        type="text"
        value={form[name] ?? ''}
        aria-describedby={hint ? `${id}-hint` : undefined}
        onInput={(event) => onInput(name, event.currentTarget.value)}
      />
      {hint && (
        <small id={`${id}-hint`} class="hint">
          {hint}
        </small>
      )}
    </div>
  );
}
