import type { Method, Output, ParsedInput } from '../../shared/api/contract';
import type { AppContext } from '../services/context';

/** A handler gets the validated input and the app context. */
export type Handler<M extends Method> = (
  input: ParsedInput<M>,
  ctx: AppContext,
) => Output<M> | Promise<Output<M>>;

/** Every method of the contract, handled. */
export type Handlers = { [M in Method]: Handler<M> };

/** The handlers of one domain. */
export type HandlerGroup = Partial<Handlers>;
