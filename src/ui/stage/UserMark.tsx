import { memo } from 'react';
import { shapePath, userLook } from './userStyle';
import { useDarkTheme } from './useDarkTheme';

/** A user's colour + shape + initial, sized by the surrounding font (1em = one mark). */
export const UserMark = memo(function UserMark({
  clientId,
  name,
  className,
}: {
  clientId: string;
  name: string;
  className?: string;
}) {
  const dark = useDarkTheme();
  const look = userLook(clientId, name, dark);
  return (
    <svg
      className={className === undefined ? 'user-mark' : `user-mark ${className}`}
      viewBox="0 0 24 24"
      aria-hidden="true"
      focusable="false"
    >
      <path
        d={shapePath(look.shape)}
        fill={look.colour}
        stroke={dark ? '#fff' : '#000'}
        strokeWidth="1.5"
        strokeLinejoin="round"
      />
      <text
        x="12"
        y={look.shape === 'triangle' ? 19 : 16.5}
        textAnchor="middle"
        fontSize={look.shape === 'triangle' ? 10 : 13}
        fontWeight="700"
        fill={look.ink}
      >
        {look.letter}
      </text>
    </svg>
  );
});
