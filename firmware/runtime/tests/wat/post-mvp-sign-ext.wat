;; Uses sign-extension (post-MVP): refused as invalid_module, naming the feature.
(module
  (memory (export "memory") 1)
  (func (export "run") (drop (i32.extend8_s (i32.const 1)))))
