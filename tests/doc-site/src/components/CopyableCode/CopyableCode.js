import React, {useState} from 'react';
import styles from './CopyableCode.module.css';

// Inline code with a copy button, as used by the generated pages:
//   <CopyableCode code="createTime" />
export default function CopyableCode({code}) {
  const [copied, setCopied] = useState(false);
  const text = code == null ? '' : String(code);

  const onCopy = () => {
    const done = () => {
      setCopied(true);
      setTimeout(() => setCopied(false), 1500);
    };
    if (typeof navigator !== 'undefined' && navigator.clipboard) {
      navigator.clipboard.writeText(text).then(done, () => {});
    }
  };

  return (
    <span className={styles.copyable}>
      <code>{text}</code>
      <button
        type="button"
        className={styles.button}
        onClick={onCopy}
        title={`Copy ${text}`}
        aria-label={`Copy ${text}`}>
        {copied ? 'copied' : 'copy'}
      </button>
    </span>
  );
}
