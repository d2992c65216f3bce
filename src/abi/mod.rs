//! Contract ABIs: the embedded registry, typed call arguments, and their
//! Transaction Builder string forms.

pub mod registry;
pub mod values;
