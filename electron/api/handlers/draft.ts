import type { HandlerGroup } from '../types';

export const draftHandlers = {
  'draft.write': (input, ctx) => {
    ctx.drafts.get().write(input.put, input.clear);
    return { kept: input.put.length, cleared: input.clear.length };
  },
  'draft.list': (input, ctx) => ctx.drafts.get().list(input.scope, input.recordId),
} satisfies HandlerGroup;
