// framer-motion's animation features, loaded on demand by <LazyMotion> (keeps them out of the first chunk).
export { domAnimation as default } from 'framer-motion';
