import { createContext } from 'preact';
import { useContext } from 'preact/hooks';

// While a modal dialog is open, the page behind it is marked inert and aria-hidden: showModal()
// already keeps focus and the pointer out of it, and this tells every tool that reads the page's
// accessibility tree (screen readers in older browsers, test drivers) the same thing.

export interface ModalBackground {
  cover(): void;
  uncover(): void;
}

export const ModalBackgroundContext = createContext<ModalBackground>({ cover() {}, uncover() {} });

export const useModalBackground = (): ModalBackground => useContext(ModalBackgroundContext);
