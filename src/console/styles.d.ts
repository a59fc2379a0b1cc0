// esbuild bundles the stylesheet into console.css beside console.js; importing it yields nothing.
declare module '*.css';
