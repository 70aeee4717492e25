import { FRAMEWORKS } from '../model/search-form';

/** The compliance framework, as a labelled choice; `optional` adds a "none" first. */
export function FrameworkSelect({
  value,
  optional = false,
  onChange,
}: {
  value: string;
  optional?: boolean;
  onChange: (framework: string) => void;
}) {
  return (
    <div class="field">
      <label for="field-framework">Framework</label>
      <select id="field-framework" value={value} onChange={(event) => onChange(event.currentTarget.value)}>
        {optional && <option value="">—</option>}
        {FRAMEWORKS.map((framework) => (
          <option key={framework} value={framework}>
            {framework.replace('_', ' ')}
          </option>
        ))}
      </select>
    </div>
  );
}
